package io.firebreak.bot.access;

/**
 * What a person is to Firebreak. Every Slack user of the installation's workspace is a {@link #MEMBER}; the
 * other roles come from configuration ({@code FIREBREAK_RESPONDERS}, {@code FIREBREAK_APPROVERS},
 * {@code FIREBREAK_PRIVATE_RESPONDERS}) or from the incident at hand (its reporter and commander).
 */
public enum Role {
    /** Anyone in the installation's workspace. */
    MEMBER("workspace members"),
    /** Who reported or opened the incident at hand. */
    REPORTER("the reporter"),
    /** Listed in {@code FIREBREAK_RESPONDERS}, directly or through a user group. */
    RESPONDER("responders"),
    /** Listed in {@code FIREBREAK_APPROVERS}, or a responder when that is unset. */
    APPROVER("approvers"),
    /** The commander of the incident at hand. */
    COMMANDER("the incident's commander"),
    /** Listed in {@code FIREBREAK_PRIVATE_RESPONDERS}: sees private incidents. */
    SECURITY("the security group");

    private final String plural;

    Role(String plural) {
        this.plural = plural;
    }

    /** How a refusal names the holders of this role: "only responders can …". */
    public String holders() {
        return plural;
    }
}
