package io.firebreak.bot.integrity.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.firebreak.bot.integrity.Checkpoint;
import io.firebreak.bot.integrity.Finding;
import io.firebreak.bot.integrity.IntegrityService;
import io.firebreak.bot.integrity.RecordVerifier;
import io.firebreak.bot.platform.signing.VerifyingKey;
import io.firebreak.bot.web.ApiExtension;
import io.firebreak.bot.web.JsonResponses;
import io.firebreak.storage.incident.Incident;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The read API of record integrity: {@code GET /api/timeline/verify} (the whole record against the published
 * checkpoints), {@code GET /api/checkpoints/latest} (the public key and the newest checkpoint) and
 * {@code GET /api/incidents/{key}/export}; and the public key and newest checkpoint on every incident.
 */
public final class IntegrityApi implements ApiExtension {
    private final IntegrityService integrity;
    private final JsonResponses json;

    public IntegrityApi(IntegrityService integrity, JsonResponses json) {
        this.integrity = integrity;
        this.json = json;
    }

    @Override
    public void addTo(ObjectNode incidentJson, Incident incident) {
        incidentJson.set("integrity", summary());
    }

    @Override
    public boolean endpoint(String path, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (path.equals("/timeline/verify")) {
            RecordVerifier.Report report = integrity.verify();
            json.write(resp, 200, report(report));
            return true;
        }
        if (path.equals("/checkpoints/latest")) {
            json.write(resp, 200, summary());
            return true;
        }
        return false;
    }

    @Override
    public boolean incidentEndpoint(Incident incident, String rest, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        if (!rest.equals("export")) {
            return false;
        }
        Optional<ObjectNode> export = integrity.export(incident.key());
        if (export.isEmpty()) {
            json.error(resp, 404, "no incident " + incident.key());
        } else {
            resp.setHeader("Content-Disposition", "attachment; filename=\"" + incident.key() + "-export.json\"");
            json.write(resp, 200, export.get());
        }
        return true;
    }

    private ObjectNode summary() {
        ObjectNode out = json.mapper().createObjectNode();
        out.put("checkpoints", integrity.enabled());
        out.put("public_key", integrity.publicKey().map(VerifyingKey::toPem).orElse(null));
        out.put("key_id", integrity.publicKey().map(VerifyingKey::id).orElse(null));
        Optional<Checkpoint> latest = integrity.latest();
        if (latest.isPresent()) {
            ObjectNode c = out.putObject("last_checkpoint");
            c.set("statement", latest.get().statement(json.mapper()));
            c.put("signature", latest.get().signature());
        } else {
            out.putNull("last_checkpoint");
        }
        return out;
    }

    private ObjectNode report(RecordVerifier.Report report) {
        ObjectNode out = json.mapper().createObjectNode();
        out.put("ok", report.ok());
        out.put("incidents", report.incidents());
        out.put("events", report.events());
        out.put("checkpoints", report.checkpoints());
        if (report.latest().isPresent()) {
            out.put("latest_checkpoint", report.latest().get());
        } else {
            out.putNull("latest_checkpoint");
        }
        ArrayNode findings = out.putArray("findings");
        for (Finding f : report.findings()) {
            ObjectNode o = findings.addObject();
            o.put("kind", f.kind().name());
            o.put("incident", f.incident().map(Object::toString).orElse(null));
            if (f.seq().isPresent()) {
                o.put("seq", f.seq().get());
            } else {
                o.putNull("seq");
            }
            o.put("detail", f.detail());
        }
        return out;
    }
}
