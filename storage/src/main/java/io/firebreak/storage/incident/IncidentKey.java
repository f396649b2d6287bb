package io.firebreak.storage.incident;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The name people use for an incident: {@code INC-<n>}, where n is its id. */
public record IncidentKey(long id) {
    private static final Pattern FORM = Pattern.compile("(?i)inc-?(\\d{1,12})");

    public IncidentKey {
        if (id < 1) {
            throw new IllegalArgumentException("incident ids start at 1");
        }
    }

    /** Parses {@code INC-12}, {@code inc-12} or {@code INC12}; empty for anything else. */
    public static Optional<IncidentKey> parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long id = Long.parseLong(m.group(1));
        return id < 1 ? Optional.empty() : Optional.of(new IncidentKey(id));
    }

    /** True when {@code text} has the shape of a key, whether or not such an incident exists. */
    public static boolean looksLikeKey(String text) {
        return FORM.matcher(text.trim()).matches();
    }

    @Override
    public String toString() {
        return "INC-" + id;
    }

    public String lowerCase() {
        return toString().toLowerCase(Locale.ROOT);
    }
}
