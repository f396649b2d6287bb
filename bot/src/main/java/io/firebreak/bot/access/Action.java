package io.firebreak.bot.access;

import java.util.EnumSet;
import java.util.Set;

/**
 * Everything a person can ask Firebreak to do or show, with the roles that may. This enum is the authorization
 * matrix: {@link AccessPolicy} reads it, the README's "Who may do what" table is written from it, and
 * {@code AccessPolicyTest} checks every cell.
 */
public enum Action {
    OPEN("open an incident", false, Role.MEMBER),
    REPORT("report an incident", false, Role.MEMBER),
    /** The reporter may give only the first assessment; {@code IncidentService} enforces "first". */
    ASSESS("assess the impact", false, Role.RESPONDER, Role.REPORTER),
    SEVERITY("change the severity", false, Role.RESPONDER),
    PHASE("change the phase", false, Role.RESPONDER),
    COMMANDER("change the commander", false, Role.RESPONDER),
    NOTE("add notes", false, Role.MEMBER),
    CAPTURE("put messages on the timeline", false, Role.MEMBER),
    HANDOFF("hand an incident off", false, Role.RESPONDER),
    /** Only the person it was offered to; {@code HandoffService} checks that. */
    HANDOFF_ACCEPT("accept a handoff", false, Role.MEMBER),
    CONTAIN_FIRE("fire containment", false, Role.RESPONDER),
    CONTAIN_REQUEST("ask for containment", false, Role.RESPONDER),
    CONTAIN_APPROVE("approve containment", false, Role.APPROVER),
    /** A responder may withdraw their own request; only approvers deny others'. {@code ContainmentService} checks that. */
    CONTAIN_DENY("deny or withdraw containment", false, Role.APPROVER, Role.RESPONDER),
    CONTAIN_UNDO("undo containment", false, Role.RESPONDER),
    CONTAIN_KEEP("keep containment in effect", false, Role.RESPONDER),
    RUN_ATTACH("attach agent runs", false, Role.RESPONDER),
    FAILURE_POINT("set the failure point", false, Role.RESPONDER),
    CORRECTION("record a correction", false, Role.RESPONDER),
    FOLLOW_UP("add follow-ups", false, Role.RESPONDER),
    CLOSE("close an incident", false, Role.RESPONDER),
    REOPEN("reopen an incident", false, Role.RESPONDER),
    POSTMORTEM_POST("post the postmortem", false, Role.RESPONDER),
    /** Paging wakes a person outside Slack: a responder's call, as firing containment is. */
    PAGE("page the on-call", false, Role.RESPONDER),
    AUTOMATION("pause, resume or list the automation rules", false, Role.RESPONDER),
    READ_LIST("list incidents", true, Role.MEMBER),
    READ_INCIDENT("see an incident", true, Role.MEMBER),
    READ_EVIDENCE("read run evidence", true, Role.MEMBER),
    /** A button, form or subcommand not given a row above yet (a new feature): fails closed to responders. */
    OTHER_CHANGE("make this change", false, Role.RESPONDER);

    private final String description;
    private final boolean read;
    private final Set<Role> allowed;

    Action(String description, boolean read, Role first, Role... rest) {
        this.description = description;
        this.read = read;
        this.allowed = EnumSet.of(first, rest);
    }

    /** In words, after "only responders can …". */
    public String description() {
        return description;
    }

    /** True for actions that change nothing. */
    public boolean isRead() {
        return read;
    }

    /** The roles any one of which allows this action. */
    public Set<Role> allowedRoles() {
        return EnumSet.copyOf(allowed);
    }
}
