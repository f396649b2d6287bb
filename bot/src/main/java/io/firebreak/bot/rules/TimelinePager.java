package io.firebreak.bot.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.firebreak.bot.incident.EventKinds;
import io.firebreak.bot.incident.IncidentService;
import io.firebreak.storage.Storage;
import io.firebreak.storage.incident.IncidentKey;

/** A {@link Pager} that records "page requested: <service>" on the timeline and sends nothing, until paging is wired. */
public final class TimelinePager implements Pager {
    private final IncidentService incidents;
    private final ObjectMapper mapper;

    public TimelinePager(IncidentService incidents, ObjectMapper mapper) {
        this.incidents = incidents;
        this.mapper = mapper;
    }

    @Override
    public void page(Storage.Tx tx, IncidentKey incident, String service, String reason, String actor) {
        incidents.record(
                tx,
                incident,
                actor,
                EventKinds.PAGE_REQUESTED,
                mapper.createObjectNode()
                        .put("service", service)
                        .put("reason", reason)
                        .put("text", "page requested: " + service));
    }
}
