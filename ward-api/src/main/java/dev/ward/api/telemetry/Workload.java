package dev.ward.api.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Where an event happened, in KubeArmor's fields: HostName, NamespaceName, PodName, Labels, ContainerID,
 * ContainerName, ContainerImage. Immutable and built once (at start, and again only when the task metadata
 * changes): every event points at the current one, so the identity costs one reference per event, and
 * {@link #jsonFields()} is already serialized for the JSON lines.
 */
public final class Workload {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    public final String hostName;
    public final String namespaceName;
    public final String podName;
    /** KubeArmor's form: {@code k=v,k=v}, sorted by key. */
    public final String labels;
    public final String containerId;
    public final String containerName;
    public final String containerImage;
    private final String jsonFields;

    private Workload(String hostName, String namespaceName, String podName, String labels, String containerId,
            String containerName, String containerImage) {
        this.hostName = hostName;
        this.namespaceName = namespaceName;
        this.podName = podName;
        this.labels = labels;
        this.containerId = containerId;
        this.containerName = containerName;
        this.containerImage = containerImage;
        this.jsonFields = serialize();
    }

    /** Null values are taken as empty (the field is then left out, as KubeArmor leaves empty fields out). */
    public static Workload of(String hostName, String namespaceName, String podName, String labels,
            String containerId, String containerName, String containerImage) {
        return new Workload(text(hostName), text(namespaceName), text(podName), text(labels), text(containerId),
                text(containerName), text(containerImage));
    }

    /**
     * The non-empty fields as JSON members in KubeArmor's order, each preceded by a comma
     * ({@code ,"HostName":"...","NamespaceName":"..."}): written as is after UpdatedTime. Empty when every field is.
     */
    public String jsonFields() {
        return jsonFields;
    }

    /** Writes the non-empty fields, in KubeArmor's order, into the object {@code g} is writing. */
    public void writeFields(JsonGenerator g) throws IOException {
        field(g, "HostName", hostName);
        field(g, "NamespaceName", namespaceName);
        field(g, "PodName", podName);
        field(g, "Labels", labels);
        field(g, "ContainerID", containerId);
        field(g, "ContainerName", containerName);
        field(g, "ContainerImage", containerImage);
    }

    @Override
    public String toString() {
        return jsonFields.isEmpty() ? "{}" : "{" + jsonFields.substring(1) + "}";
    }

    private String serialize() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            writeFields(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        String object = out.toString();
        return object.length() <= 2 ? "" : "," + object.substring(1, object.length() - 1);
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (!value.isEmpty()) {
            g.writeStringField(name, value);
        }
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
