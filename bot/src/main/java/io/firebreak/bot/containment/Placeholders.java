package io.firebreak.bot.containment;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code {name}} placeholders in the catalog's request templates: finding them and filling them in. */
final class Placeholders {
    /** Only identifier-shaped names count, so other braces (JSON in a header, say) stay as written. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_]{0,63})}");

    private Placeholders() {}

    static Set<String> names(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** {@code template} with each placeholder replaced by {@code value.apply(name)}. */
    static String fill(String template, Function<String, String> value) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value.apply(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
