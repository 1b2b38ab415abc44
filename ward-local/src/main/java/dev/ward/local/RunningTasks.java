package dev.ward.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Local tasks found through podman's labels (for ps and stop, from any Ward process). */
final class RunningTasks {
    /** One container of a local task, as {@code podman ps} reports it. */
    record Container(String taskId, String family, String revision, String pod, String podmanName, String name,
            String state, String status, String health, Integer exitCode, String ports, int stopLevel,
            int stopTimeout, String supervisorPid) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunningTasks() {}

    /** Every container of every local task, grouped by task id (insertion ordered). */
    static Map<String, List<Container>> list(Podman podman) {
        Map<String, Map<String, String>> pods = new LinkedHashMap<>();
        for (JsonNode p : json(podman.check("listing local tasks", "pod", "ps", "--filter", "label=" + Labels.TASK,
                "--format", "json"))) {
            Map<String, String> labels = new LinkedHashMap<>();
            p.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            labels.put("pod", p.path("Name").asText());
            pods.put(labels.getOrDefault(Labels.TASK, ""), labels);
        }
        Map<String, List<Container>> out = new LinkedHashMap<>();
        for (JsonNode c : json(podman.check("listing local tasks", "ps", "--all", "--filter", "label=" + Labels.CONTAINER,
                "--format", "json"))) {
            JsonNode l = c.path("Labels");
            String taskId = l.path(Labels.TASK).asText();
            Map<String, String> podLabels = pods.getOrDefault(taskId, Map.of());
            String pod = podLabels.getOrDefault("pod", "");
            String status = c.path("Status").asText();
            String health = status.contains("(healthy)") ? "healthy" : status.contains("(unhealthy)") ? "unhealthy"
                    : status.contains("(starting)") ? "starting" : "";
            String state = c.path("State").asText();
            out.computeIfAbsent(taskId, k -> new ArrayList<>()).add(new Container(taskId,
                    podLabels.getOrDefault(Labels.FAMILY, "?"), podLabels.getOrDefault(Labels.REVISION, "?"), pod,
                    c.path("Names").path(0).asText(), l.path(Labels.CONTAINER).asText(), state, status, health,
                    state.equals("exited") ? c.path("ExitCode").asInt() : null, ports(c.path("Ports")),
                    l.path(Labels.STOP_LEVEL).asInt(0), l.path(Labels.STOP_TIMEOUT).asInt(PodmanPlan.DEFAULT_STOP_TIMEOUT),
                    podLabels.getOrDefault(Labels.SUPERVISOR, "")));
        }
        // Pods whose containers are all gone still count as tasks (stop removes them).
        pods.keySet().forEach(task -> out.computeIfAbsent(task, k -> new ArrayList<>()));
        return out;
    }

    /** Pod name of a task id (the task may have no containers left). */
    static String podOf(Podman podman, String taskId) {
        for (JsonNode p : json(podman.check("listing local tasks", "pod", "ps", "--filter", "label=" + Labels.TASK + "=" + taskId,
                "--format", "json"))) {
            return p.path("Name").asText();
        }
        return null;
    }

    static String supervisorOf(Podman podman, String taskId) {
        for (JsonNode p : json(podman.check("listing local tasks", "pod", "ps", "--filter", "label=" + Labels.TASK + "=" + taskId,
                "--format", "json"))) {
            return p.path("Labels").path(Labels.SUPERVISOR).asText("");
        }
        return "";
    }

    private static String ports(JsonNode ports) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : ports) {
            out.add(p.path("host_ip").asText("") + ":" + p.path("host_port").asText() + "->" + p.path("container_port").asText()
                    + "/" + p.path("protocol").asText("tcp"));
        }
        return String.join(",", out);
    }

    private static JsonNode json(String text) {
        try {
            JsonNode n = JSON.readTree(text.isBlank() ? "[]" : text);
            return n == null || n.isNull() ? JSON.createArrayNode() : n;
        } catch (IOException e) {
            throw new LocalException("cannot read podman's JSON output: " + e.getMessage(), e);
        }
    }
}
