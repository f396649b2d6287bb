package io.firebreak.bot.containment;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A value a responder gives when firing an action, e.g. the workflow to pause.
 *
 * @param pattern every value must match it whole: it keeps what goes into URLs and bodies to the expected shape
 * @param example shown as a placeholder in the modal
 */
public record ActionParameter(
        String name, String description, boolean required, Pattern pattern, Optional<String> example) {

    /** Empty when {@code value} is acceptable, else why not, in words. */
    public Optional<String> problem(String value) {
        if (value.isEmpty()) {
            return required ? Optional.of(name + " is required: " + description) : Optional.empty();
        }
        if (!pattern.matcher(value).matches()) {
            return Optional.of(name + " must match " + pattern.pattern()
                    + example.map(e -> " (e.g. " + e + ")").orElse(""));
        }
        return Optional.empty();
    }
}
