package io.firebreak.bot.containment;

import io.firebreak.storage.incident.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An entry of the action catalog: a containment move responders may fire, the call that performs it and the
 * call that undoes it.
 *
 * @param preapprovedFrom the lowest severity at which it runs without an approver; empty means always ask
 * @param capture         read before firing, for the undo
 * @param check           proves after firing that it took effect
 */
public record ContainmentAction(
        String id,
        String title,
        String description,
        Target target,
        List<ActionParameter> parameters,
        Optional<Severity> preapprovedFrom,
        Optional<Capture> capture,
        RequestTemplate request,
        RequestTemplate undo,
        Optional<Check> check) {

    public ContainmentAction {
        parameters = List.copyOf(parameters);
    }

    /** True when an incident of {@code severity} may fire it without an approver; never for an unassessed one. */
    public boolean preapprovedAt(Optional<Severity> severity) {
        return preapprovedFrom.isPresent()
                && severity.isPresent()
                && severity.get().compareTo(preapprovedFrom.get()) >= 0;
    }

    /** E.g. "pre-approved at high and above", or "always needs an approver". */
    public String approvalRule() {
        return preapprovedFrom
                .map(s -> "pre-approved at " + s.label() + (s == Severity.CRITICAL ? "" : " and above"))
                .orElse("always needs an approver");
    }

    /**
     * Problems with the given values, by parameter name (unknown names under their own name); empty when all
     * are acceptable.
     */
    public Map<String, String> problems(Map<String, String> values) {
        Map<String, String> problems = new LinkedHashMap<>();
        values.keySet().stream()
                .filter(name -> parameters.stream().noneMatch(p -> p.name().equals(name)))
                .forEach(name -> problems.put(
                        name,
                        name + " is not a parameter of " + id + "; it takes "
                                + (parameters.isEmpty()
                                        ? "none"
                                        : String.join(
                                                ", ",
                                                parameters.stream()
                                                        .map(ActionParameter::name)
                                                        .toList()))));
        for (ActionParameter p : parameters) {
            p.problem(values.getOrDefault(p.name(), "")).ifPresent(problem -> problems.put(p.name(), problem));
        }
        return problems;
    }

    /** The parameters in catalog order, e.g. {@code workflow=refunds}; empty when it takes none. */
    public String describe(Map<String, String> values) {
        return String.join(
                " ",
                parameters.stream()
                        .filter(p -> values.containsKey(p.name()))
                        .map(p -> p.name() + "=" + values.get(p.name()))
                        .toList());
    }
}
