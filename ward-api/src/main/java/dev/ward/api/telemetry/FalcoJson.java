package dev.ward.api.telemetry;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An alert in the shape of Falco's JSON output ({@code json_output: true}), for falcosidekick and the tools that
 * read Falco: {@code time} (RFC 3339, nanoseconds, UTC), {@code rule} (the policy), {@code priority} (from the
 * severity, {@link #priority}), {@code output} (Falco's "time: Priority message (fields)" line), {@code output_fields}
 * with Falco's field names where one means the same ({@code proc.name}, {@code fd.name}, ...) and {@code ward.*}
 * for the rest, {@code tags}, {@code source} ("syscall") and {@code hostname}. Logs (not alerts) get priority
 * Debug and their type as the rule.
 */
public final class FalcoJson {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSSSS").withZone(ZoneOffset.UTC);

    private FalcoJson() {
    }

    /** Writes {@code t} as one Falco alert object. */
    public static void writeObject(JsonGenerator json, Telemetry t) throws IOException {
        Instant at = Instant.ofEpochSecond(0, t.timestampNanos);
        String priority = t.isAlert() ? priority(t.severity) : "Debug";
        Map<String, Object> fields = fields(t);
        json.writeStartObject();
        json.writeStringField("time", TIME.format(at));
        json.writeStringField("rule", rule(t));
        json.writeStringField("priority", priority);
        json.writeStringField("output", CLOCK.format(at) + ": " + priority + " " + message(t) + " (" + text(fields)
                + ")");
        json.writeObjectFieldStart("output_fields");
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            if (f.getValue() instanceof Long n) {
                json.writeNumberField(f.getKey(), n);
            } else {
                json.writeStringField(f.getKey(), (String) f.getValue());
            }
        }
        json.writeEndObject();
        json.writeArrayFieldStart("tags");
        for (String tag : tags(t)) {
            json.writeString(tag);
        }
        json.writeEndArray();
        json.writeStringField("source", "syscall");
        json.writeStringField("hostname", or(t.workload != null ? t.workload.hostName : t.hostName, ""));
        json.writeEndObject();
    }

    /**
     * Falco's priority for a KubeArmor severity (1..10): 9-10 Critical, 7-8 Error, 5-6 Warning, 3-4 Notice, 1-2
     * Informational; unset or not a number: Warning (an alert someone wrote a rule for).
     */
    public static String priority(String severity) {
        int s;
        try {
            s = Integer.parseInt(or(severity, "").strip());
        } catch (NumberFormatException e) {
            return "Warning";
        }
        return s >= 9 ? "Critical" : s >= 7 ? "Error" : s >= 5 ? "Warning" : s >= 3 ? "Notice"
                : s >= 1 ? "Informational" : "Warning";
    }

    /** The syscall an event is about, as Falco's evt.type names it ("openat" for "syscall=SYS_OPENAT ..."). */
    static String eventType(String data) {
        String d = or(data, "");
        int at = d.indexOf("SYS_");
        if (at < 0) {
            return "";
        }
        int end = d.indexOf(' ', at);
        return d.substring(at + 4, end < 0 ? d.length() : end).toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, Object> fields(Telemetry t) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("evt.time", t.timestampNanos);
        f.put("evt.type", eventType(t.data));
        f.put("evt.res", or(t.result, ""));
        String process = or(t.processName, "");
        f.put("proc.name", baseName(process));
        f.put("proc.exepath", process);
        f.put("proc.cmdline", "Process".equals(t.operation) ? or(t.resource, process) : baseName(process));
        f.put("proc.pid", (long) t.pid);
        f.put("proc.ppid", (long) t.ppid);
        f.put("proc.pname", baseName(or(t.parentProcessName, "")));
        f.put("proc.cwd", or(t.cwd, ""));
        f.put("fd.name", "File".equals(t.operation) || "Network".equals(t.operation) ? or(t.resource, "") : "");
        f.put("user.uid", (long) t.uid);
        f.put("user.name", or(t.userName, ""));
        Workload w = t.workload;
        // Falco's container.id is the short Docker ID; without one (a host name stands for the container) the host
        f.put("container.id", w != null && !or(w.containerId, "").isEmpty()
                ? w.containerId.substring(0, Math.min(12, w.containerId.length())) : or(w != null ? w.hostName : t.hostName, ""));
        f.put("container.name", or(w != null ? w.containerName : t.containerName, ""));
        f.put("container.image", or(w != null ? w.containerImage : null, ""));
        if (w != null && !or(w.namespaceName, "").isEmpty()) {
            f.put("k8s.ns.name", w.namespaceName);
        }
        if (w != null && !or(w.podName, "").isEmpty()) {
            f.put("k8s.pod.name", w.podName);
        }
        f.put("ward.operation", or(t.operation, ""));
        f.put("ward.resource", or(t.resource, ""));
        f.put("ward.action", or(t.action, ""));
        f.put("ward.policy", or(t.policyName, ""));
        f.put("ward.severity", or(t.severity, ""));
        f.put("ward.labels", or(w != null ? w.labels : t.labels, ""));
        return f;
    }

    private static String rule(Telemetry t) {
        return t.isAlert() ? or(t.policyName, "DefaultPosture") : or(t.type, Telemetry.TYPE_LOG);
    }

    private static String message(Telemetry t) {
        String m = or(t.message, "");
        if (!m.isEmpty()) {
            return m;
        }
        return (or(t.operation, "Event") + " " + or(t.resource, "")).strip();
    }

    private static List<String> tags(Telemetry t) {
        if (t.atags != null && !t.atags.isEmpty()) {
            return t.atags;
        }
        String tags = or(t.tags, "");
        return tags.isEmpty() ? List.of() : List.of(tags.split(","));
    }

    private static String text(Map<String, Object> fields) {
        StringBuilder b = new StringBuilder();
        for (String key : List.of("proc.cmdline", "fd.name", "user.uid", "container.name", "ward.action", "evt.res")) {
            Object v = fields.get(key);
            if (v instanceof Long || v instanceof String s && !s.isEmpty()) {
                b.append(b.isEmpty() ? "" : " ").append(key).append('=').append(v);
            }
        }
        return b.toString();
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String or(String s, String fallback) {
        return s == null || s.isEmpty() ? fallback : s;
    }
}
