package dev.ward.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The policy object of a {@code containerPolicy} payload as karmor sends it, made into the document the user
 * wrote. karmor reads the YAML into KubeArmor's Go structs and encodes them again, and Go's {@code omitempty}
 * leaves struct fields in: every spec carries {@code "process":{}, "file":{}, "network":{}, "capabilities":{},
 * "syscalls":{}} for the sections the user did not write, {@code "action":""} when the spec has no action,
 * {@code "creationTimestamp":null} in metadata and {@code "status":{}} beside the spec, and never
 * {@code apiVersion} or {@code kind} (the struct has no type fields). KubeArmor reads those as absent; so does
 * this path. Ward's own {@code ward policy add} keeps refusing an empty section (WP009), where it is a mistake
 * in a file someone wrote.
 */
final class KarmorPayload {
    /** The spec sections a Go struct always emits. */
    private static final List<String> SECTIONS = List.of("process", "file", "network", "capabilities", "syscalls");

    private KarmorPayload() {
    }

    /** A KubeArmorPolicy document (JSON, which is YAML) from the payload's {@code object}. */
    static ObjectNode document(JsonNode object) {
        ObjectNode doc = object.isObject() ? ((ObjectNode) object).objectNode() : null;
        if (doc == null) {
            throw new IllegalArgumentException("object is not a JSON object");
        }
        doc.put("apiVersion", object.path("apiVersion").asText("security.kubearmor.com/v1"));
        doc.put("kind", object.path("kind").asText("KubeArmorPolicy"));
        doc.set("metadata", metadata(object.path("metadata")));
        doc.set("spec", spec(object.path("spec")));
        return doc; // status (always {} from karmor) is the cluster's to write, not part of the policy
    }

    private static JsonNode metadata(JsonNode metadata) {
        if (!metadata.isObject()) {
            return metadata; // the parser says what is wrong with it
        }
        ObjectNode m = metadata.deepCopy();
        List<String> nulls = new java.util.ArrayList<>();
        m.fieldNames().forEachRemaining(f -> {
            if (m.get(f).isNull()) {
                nulls.add(f); // creationTimestamp: Go's zero time
            }
        });
        m.remove(nulls);
        return m;
    }

    private static JsonNode spec(JsonNode spec) {
        if (!spec.isObject()) {
            return spec;
        }
        ObjectNode s = spec.deepCopy();
        for (String section : SECTIONS) {
            JsonNode n = s.get(section);
            if (n != null && (n.isNull() || n.isObject() && n.isEmpty())) {
                s.remove(section);
            }
        }
        JsonNode action = s.get("action");
        if (action != null && (action.isNull() || action.isTextual() && action.asText().isEmpty())) {
            s.remove("action"); // Block, KubeArmor's default, as with no action written
        }
        return s;
    }
}
