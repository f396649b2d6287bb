package io.firebreak.bot.rules;

import java.util.List;
import java.util.Optional;

/**
 * The rules file as loaded.
 *
 * @param source where it was read
 * @param hash   the first 12 hex digits of the file's SHA-256: what each rule's actions are recorded under
 */
public record RuleSet(String source, String hash, List<Rule> rules) {
    public static final RuleSet NONE = new RuleSet("(no rules file)", "none", List.of());

    public RuleSet {
        rules = List.copyOf(rules);
    }

    public Optional<Rule> find(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** Who a rule's actions are recorded as: {@code rule:<id>@<hash>}. */
    public String actor(Rule rule) {
        return "rule:" + rule.id() + "@" + hash;
    }
}
