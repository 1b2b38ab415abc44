package dev.ward.api.telemetry;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes one JSON object per line, in KubeArmor's field order, to a stream (stdout by default: what
 * the awslogs driver ships to CloudWatch on ECS). Empty fields are left out, as karmor prints them. With
 * {@link TelemetryFormat#FALCO}, Falco's alert shape instead ({@link FalcoJson}).
 */
public final class JsonLinesSink implements Sink {
    private static final DateTimeFormatter UPDATED_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final OutputStream out;
    private final JsonGenerator json;
    private final boolean closeStream;
    private final TelemetryFormat format;

    public JsonLinesSink(OutputStream out, boolean closeStream) throws IOException {
        this(out, closeStream, TelemetryFormat.KUBEARMOR);
    }

    /** One object per line in {@code format}: KubeArmor's shape or Falco's. */
    public JsonLinesSink(OutputStream out, boolean closeStream, TelemetryFormat format) throws IOException {
        this.out = out;
        this.closeStream = closeStream;
        this.format = format;
        JsonFactory factory = JsonFactory.builder().build();
        this.json = factory.createGenerator(out, JsonEncoding.UTF8);
        this.json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        noSeparator(this.json);
    }

    /**
     * Jackson writes a space before every root value after the first (its default root-value separator), which
     * would start every line but the first with a space: one object per line, nothing before it.
     */
    public static JsonGenerator noSeparator(JsonGenerator json) {
        json.setRootValueSeparator(null);
        return json;
    }

    @Override
    public void write(Telemetry t) throws IOException {
        format.write(json, t);
        json.writeRaw('\n');
    }

    /** Writes {@code t} as one JSON object; shared with other JSON sinks. */
    public static void writeObject(JsonGenerator json, Telemetry t) throws IOException {
        json.writeStartObject();
        json.writeNumberField("Timestamp", t.timestampNanos / 1_000_000_000L);
        json.writeStringField("UpdatedTime", UPDATED_TIME.format(Instant.ofEpochSecond(0, t.timestampNanos)));
        Workload w = t.workload;
        if (w != null && json.getPrettyPrinter() == null) {
            json.writeRaw(w.jsonFields()); // serialized once per identity, not per event
        } else if (w != null) {
            w.writeFields(json); // a pretty printer places every member itself
        } else {
            str(json, "HostName", t.hostName);
            str(json, "Labels", t.labels);
            str(json, "ContainerName", t.containerName);
        }
        json.writeNumberField("HostPPID", t.ppid);
        json.writeNumberField("HostPID", t.pid);
        json.writeNumberField("PPID", t.ppid);
        json.writeNumberField("PID", t.pid);
        json.writeNumberField("TID", t.tid);
        json.writeNumberField("UID", t.uid);
        str(json, "ParentProcessName", t.parentProcessName);
        str(json, "ProcessName", t.processName);
        str(json, "PolicyName", t.policyName);
        str(json, "Severity", t.severity);
        str(json, "Tags", t.tags);
        if (t.atags != null && !t.atags.isEmpty()) {
            json.writeArrayFieldStart("ATags");
            for (String tag : t.atags) {
                json.writeString(tag);
            }
            json.writeEndArray();
        }
        str(json, "Message", t.message);
        str(json, "Type", t.type);
        str(json, "Source", t.source);
        str(json, "Operation", t.operation);
        str(json, "Resource", t.resource);
        str(json, "Data", t.data);
        str(json, "Enforcer", t.enforcer);
        str(json, "Action", t.action);
        str(json, "Result", t.result);
        str(json, "Cwd", t.cwd);
        str(json, "UserName", t.userName);
        json.writeEndObject();
    }

    private static void str(JsonGenerator json, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            json.writeStringField(name, value);
        }
    }

    @Override
    public void flush() throws IOException {
        json.flush();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
        json.close();
        if (closeStream) {
            out.close();
        }
    }
}
