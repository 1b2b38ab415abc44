package dev.ward.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pod's identity on Kubernetes (EKS Fargate), from what {@code ward inject} puts in the pod spec: the downward
 * API's environment variables ({@value #NAMESPACE}, {@value #NAME}, {@value #UID}, {@value #NODE},
 * {@value #SERVICE_ACCOUNT}), the container's image ({@value #IMAGE}) and the pod's labels in a projected
 * downwardAPI file ({@value #LABELS_FILE}, default {@value #DEFAULT_LABELS_FILE}; one {@code key="value"} per line
 * as the kubelet writes it). The container ID is {@value #CONTAINER_ID} when set, else the runtime's ID in
 * /proc/self/cgroup.
 */
public record PodInfo(String namespace, String name, String uid, String nodeName, String serviceAccount,
        Map<String, String> labels, String containerId, String containerImage) {
    public static final String NAMESPACE = "WARD_POD_NAMESPACE";
    public static final String NAME = "WARD_POD_NAME";
    public static final String UID = "WARD_POD_UID";
    public static final String NODE = "WARD_NODE_NAME";
    public static final String SERVICE_ACCOUNT = "WARD_SERVICE_ACCOUNT";
    public static final String IMAGE = "WARD_CONTAINER_IMAGE";
    public static final String CONTAINER_ID = "WARD_CONTAINER_ID";
    public static final String LABELS_FILE = "WARD_POD_LABELS_FILE";
    public static final String DEFAULT_LABELS_FILE = "/etc/ward/podinfo/labels";
    public static final PodInfo NONE = new PodInfo("", "", "", "", "", Map.of(), "", "");
    private static final Pattern CONTAINER_ID_IN_CGROUP = Pattern.compile("([0-9a-f]{64})(?:\\.scope)?$");

    public PodInfo {
        labels = Map.copyOf(labels);
    }

    /**
     * The pod as {@code env} describes it; {@link #NONE} when neither the namespace variable nor the labels file is
     * there (not a pod Ward was injected into). A labels file that cannot be read or parsed is an error naming the
     * file and line.
     */
    public static PodInfo of(Map<String, String> env) {
        Path file = Path.of(env.getOrDefault(LABELS_FILE, DEFAULT_LABELS_FILE));
        Map<String, String> labels = readLabels(file);
        String namespace = env.getOrDefault(NAMESPACE, "");
        if (namespace.isEmpty() && labels == null && env.getOrDefault(NAME, "").isEmpty()) {
            return NONE;
        }
        String id = env.getOrDefault(CONTAINER_ID, "");
        return new PodInfo(namespace, env.getOrDefault(NAME, ""), env.getOrDefault(UID, ""),
                env.getOrDefault(NODE, ""), env.getOrDefault(SERVICE_ACCOUNT, ""), labels == null ? Map.of() : labels,
                id.isEmpty() ? containerIdFromCgroup(Path.of("/proc/self/cgroup")) : id,
                env.getOrDefault(IMAGE, ""));
    }

    /** Whether this is a pod (the namespace is known). */
    public boolean present() {
        return !namespace.isEmpty();
    }

    /**
     * The kubelet's downward API labels file: {@code key="value"} lines, the value a Go-quoted string; null when
     * the file does not exist.
     */
    public static Map<String, String> readLabels(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the pod's labels: " + e.getMessage(), e);
        }
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = file + ":" + (i + 1) + ": ";
            if (eq <= 0) {
                throw new IllegalArgumentException(where + "expected key=\"value\" (a label as the downward API "
                        + "writes it), got: " + line);
            }
            out.put(line.substring(0, eq), GoQuoted.unquote(line.substring(eq + 1), where + "label "
                    + line.substring(0, eq) + ": "));
        }
        return out;
    }

    /** The container's 64-hex ID in a cgroup path (cgroup v1, or v2 without a cgroup namespace), else "". */
    static String containerIdFromCgroup(Path cgroup) {
        try {
            String found = "";
            for (String line : Files.readAllLines(cgroup)) {
                for (String part : line.substring(line.lastIndexOf(':') + 1).split("/")) {
                    String name = part.substring(part.lastIndexOf('-') + 1);
                    Matcher m = CONTAINER_ID_IN_CGROUP.matcher(name);
                    if (m.matches()) {
                        found = m.group(1);
                    }
                }
            }
            return found;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
