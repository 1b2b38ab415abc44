package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonDiff;
import dev.ward.registry.ImageConfigSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Answers Kubernetes' {@code admission.k8s.io/v1} AdmissionReview for a pod being created: the JSON Patch that makes
 * it what {@code ward inject} makes of the same pod (init container with the bundle, emptyDir, entrypoint rewritten
 * with the image's entrypoint read from its registry, relay settings, SYS_PTRACE only when needed). A pod already
 * protected gets no patch; a pod annotated {@value #OPT_OUT}{@code : "false"} is left alone; with Fargate profiles
 * given, only pods with one of them (label {@value #FARGATE_PROFILE}) are changed. A pod that cannot be protected is
 * still admitted, unprotected, with a warning the client shows, unless the reviewer fails closed.
 */
final class AdmissionReviewer {
    static final String OPT_OUT = "ward.dev/inject";
    static final String FARGATE_PROFILE = "eks.amazonaws.com/fargate-profile";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InjectOptions options;
    private final ImageConfigSource images;
    private final Set<String> fargateProfiles;
    private final boolean failClosed;

    /**
     * @param fargateProfiles only pods of these Fargate profiles (empty: every pod the webhook is sent)
     * @param failClosed      refuse a pod that cannot be protected instead of admitting it unprotected
     */
    AdmissionReviewer(InjectOptions options, ImageConfigSource images, Set<String> fargateProfiles, boolean failClosed) {
        this.options = options;
        this.images = images;
        this.fargateProfiles = Set.copyOf(fargateProfiles);
        this.failClosed = failClosed;
    }

    /** The AdmissionReview to send back for {@code review} (the request the API server sent). */
    ObjectNode review(JsonNode review) {
        JsonNode request = review.path("request");
        ObjectNode out = JSON.createObjectNode();
        out.put("apiVersion", review.path("apiVersion").asText("admission.k8s.io/v1"));
        out.put("kind", "AdmissionReview");
        ObjectNode response = out.putObject("response");
        response.put("uid", request.path("uid").asText());
        response.put("allowed", true);
        String what = describe(request);
        try {
            if (skipReason(request) != null) {
                return out;
            }
            JsonNode pod = request.get("object");
            ObjectNode before = ((ObjectNode) pod).deepCopy();
            before.put("apiVersion", "v1");
            before.put("kind", "Pod");
            ObjectNode meta = before.has("metadata") && before.get("metadata").isObject()
                    ? (ObjectNode) before.get("metadata") : before.putObject("metadata");
            if (!meta.has("namespace") && request.hasNonNull("namespace")) {
                meta.put("namespace", request.get("namespace").asText());
            }
            KubernetesInjector injector = new KubernetesInjector(options, images);
            JsonNode after = injector.injectJson(before);
            ArrayNode patch = (ArrayNode) JsonDiff.asJson(before, after);
            if (!patch.isEmpty()) {
                response.put("patchType", "JSONPatch");
                response.put("patch", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(patch)));
            }
        } catch (InjectException | RuntimeException | java.io.IOException e) {
            String message = "ward: " + what + " not protected: " + e.getMessage();
            if (failClosed) {
                response.put("allowed", false);
                response.putObject("status").put("code", 500).put("message", message);
            } else {
                response.putArray("warnings").add(message);
            }
        }
        return out;
    }

    /** Why this request gets no patch; null: it is to be protected. */
    private String skipReason(JsonNode request) {
        if (!"Pod".equals(request.path("kind").path("kind").asText()) || !request.path("subResource").isMissingNode()
                || !"CREATE".equals(request.path("operation").asText("CREATE"))) {
            return "not the creation of a pod";
        }
        JsonNode meta = request.path("object").path("metadata");
        if ("false".equalsIgnoreCase(meta.path("annotations").path(OPT_OUT).asText())
                || "disabled".equalsIgnoreCase(meta.path("labels").path(OPT_OUT).asText())) {
            return "opted out";
        }
        if (!fargateProfiles.isEmpty() && !fargateProfiles.contains(meta.path("labels").path(FARGATE_PROFILE).asText())) {
            return "not in a selected Fargate profile";
        }
        return null;
    }

    private static String describe(JsonNode request) {
        JsonNode meta = request.path("object").path("metadata");
        String name = meta.path("name").asText(meta.path("generateName").asText("") + "*");
        return "pod " + request.path("namespace").asText("default") + "/" + name;
    }

    static String text(ObjectNode reviewResponse) {
        try {
            return JSON.writeValueAsString(reviewResponse);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(byte[] body) throws java.io.IOException {
        return JSON.readTree(new String(body, StandardCharsets.UTF_8));
    }
}
