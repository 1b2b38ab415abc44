package dev.ward.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.ward.api.telemetry.FalcoJson;
import dev.ward.api.telemetry.JsonLinesSink;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.api.telemetry.Workload;
import dev.ward.relay.api.WatchEvent;
import dev.ward.relay.api.feeder.Alert;
import dev.ward.relay.api.feeder.Log;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;

/**
 * Prints events for {@code ward logs}: one line of text, the agent's JSON (compact or pretty), or Falco's JSON alert
 * shape ({@link FalcoJson}).
 */
final class EventPrinter {
    enum Format { text, json, pretty_json, falco }

    private final Writer out;
    private final Format format;
    private final JsonGenerator json;

    EventPrinter(Writer out, Format format) throws IOException {
        this.out = out;
        this.format = format;
        this.json = JsonFactory.builder().build().createGenerator(out);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        JsonLinesSink.noSeparator(json);
        if (format == Format.pretty_json) {
            json.setPrettyPrinter(new DefaultPrettyPrinter());
        }
    }

    void print(WatchEvent e) throws IOException {
        Telemetry t = telemetry(e);
        if (format == Format.text) {
            out.write(text(t));
        } else {
            if (format == Format.falco) {
                FalcoJson.writeObject(json, t);
            } else {
                JsonLinesSink.writeObject(json, t);
            }
            json.flush();
            out.write('\n');
        }
        out.flush();
    }

    static String text(Telemetry t) {
        StringBuilder b = new StringBuilder();
        b.append(Instant.ofEpochSecond(0, t.timestampNanos)).append(' ')
                .append(t.isAlert() ? "ALERT" : "log  ").append(' ')
                .append(or(t.containerName)).append(' ')
                .append(or(t.operation)).append(' ')
                .append(or(t.processName)).append(' ')
                .append(or(t.resource));
        if (t.isAlert()) {
            b.append(" action=").append(or(t.action)).append(" policy=").append(or(t.policyName));
        }
        b.append(" result=").append(or(t.result)).append('\n');
        return b.toString();
    }

    private static String or(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** Back to the agent's form, so that the JSON is exactly what the agent writes to stdout. */
    static Telemetry telemetry(WatchEvent e) {
        Telemetry t = new Telemetry();
        t.timestampNanos = e.getTimestampNanos();
        t.tid = e.getTid();
        t.cwd = e.getCwd().isEmpty() ? null : e.getCwd();
        if (e.hasAlert()) {
            Alert a = e.getAlert();
            if (t.timestampNanos == 0) {
                t.timestampNanos = a.getTimestamp() * 1_000_000_000L;
            }
            t.type = a.getType();
            t.workload = Workload.of(a.getHostName(), a.getNamespaceName(), a.getPodName(), a.getLabels(),
                    a.getContainerID(), a.getContainerName(), a.getContainerImage());
            t.containerName = a.getContainerName();
            t.ppid = a.getPPID();
            t.pid = a.getPID();
            t.uid = a.getUID();
            t.parentProcessName = a.getParentProcessName();
            t.processName = a.getProcessName();
            t.policyName = a.getPolicyName();
            t.severity = a.getSeverity();
            t.tags = a.getTags();
            t.atags = List.copyOf(a.getATagsList());
            t.message = a.getMessage();
            t.source = a.getSource();
            t.operation = a.getOperation();
            t.resource = a.getResource();
            t.data = a.getData();
            t.enforcer = a.getEnforcer();
            t.action = a.getAction();
            t.result = a.getResult();
            t.cwd = a.getCwd().isEmpty() ? t.cwd : a.getCwd();
            t.userName = a.getUserName().isEmpty() ? null : a.getUserName();
        } else {
            Log l = e.getLog();
            if (t.timestampNanos == 0) {
                t.timestampNanos = l.getTimestamp() * 1_000_000_000L;
            }
            t.type = l.getType();
            t.workload = Workload.of(l.getHostName(), l.getNamespaceName(), l.getPodName(), l.getLabels(),
                    l.getContainerID(), l.getContainerName(), l.getContainerImage());
            t.containerName = l.getContainerName();
            t.ppid = l.getPPID();
            t.pid = l.getPID();
            t.uid = l.getUID();
            t.parentProcessName = l.getParentProcessName();
            t.processName = l.getProcessName();
            t.source = l.getSource();
            t.operation = l.getOperation();
            t.resource = l.getResource();
            t.data = l.getData();
            t.result = l.getResult();
            t.cwd = l.getCwd().isEmpty() ? t.cwd : l.getCwd();
            t.userName = l.getUserName().isEmpty() ? null : l.getUserName();
        }
        return t;
    }
}
