package io.firebreak.bot.access;

/**
 * The incident a request is about, as far as authorization cares.
 *
 * @param key           e.g. {@code INC-12}, for refusals
 * @param privateIncident true for a private incident: only its channel's members, its commander and the security
 *                      group may see or touch it
 * @param channelMember true when the actor is a member of the incident's own channel
 */
public record Subject(String key, boolean privateIncident, boolean channelMember) {

    /** A public incident. */
    public static Subject open(String key) {
        return new Subject(key, false, false);
    }
}
