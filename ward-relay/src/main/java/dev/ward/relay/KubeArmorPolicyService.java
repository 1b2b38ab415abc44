package dev.ward.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.relay.api.PolicyResult;
import dev.ward.relay.api.policy.PolicyServiceGrpc;
import dev.ward.relay.api.policy.PolicyStatus;
import dev.ward.relay.api.policy.policy;
import dev.ward.relay.api.policy.response;
import dev.ward.relay.store.StoreException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * KubeArmor's policy.PolicyService as {@code karmor vm policy add|delete} calls it. The payload is JSON
 * {@code {"type":"ADDED"|"MODIFIED"|"DELETED","object":{"metadata":...,"spec":...}}}; the object becomes a
 * KubeArmorPolicy document (JSON is YAML, see {@link KarmorPayload} for what karmor adds) validated and stored
 * like {@code ward policy add}'s. Statuses are KubeArmor's for the event type: every ADDED that is stored
 * (new, replaced or identical) is Applied, a MODIFIED Modified, a DELETED Deleted or NotExist; Ward's own
 * service keeps its richer answer (Modified, unchanged).
 */
final class KubeArmorPolicyService extends PolicyServiceGrpc.PolicyServiceImplBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PolicyRegistry registry;
    private final PrintStream log;

    KubeArmorPolicyService(PolicyRegistry registry, PrintStream log) {
        this.registry = registry;
        this.log = log;
    }

    @Override
    public void containerPolicy(policy request, StreamObserver<response> responses) {
        responses.onNext(response.newBuilder().setStatus(handle(request.getPolicy().toString(StandardCharsets.UTF_8)))
                .build());
        responses.onCompleted();
    }

    /** KubeArmorHostPolicy: nothing to hold one on Fargate (no host); karmor reads NotEnabled as "not enabled". */
    @Override
    public void hostPolicy(policy request, StreamObserver<response> responses) {
        notEnabled("hostPolicy", "host policies need a host, and a Fargate task has none", responses);
    }

    @Override
    public void networkPolicy(policy request, StreamObserver<response> responses) {
        notEnabled("networkPolicy", "network rules belong in a KubeArmorPolicy's network section", responses);
    }

    private void notEnabled(String rpc, String why, StreamObserver<response> responses) {
        log.println("ward relay: " + rpc + ": not enabled: " + why);
        responses.onNext(response.newBuilder().setStatus(PolicyStatus.NotEnabled).build());
        responses.onCompleted();
    }

    PolicyStatus handle(String payload) {
        JsonNode event;
        try {
            event = JSON.readTree(payload);
        } catch (IOException e) {
            log.println("ward relay: containerPolicy: the payload is not JSON: " + e.getMessage());
            return PolicyStatus.Invalid;
        }
        if (event == null || !event.path("object").isObject()) {
            log.println("ward relay: containerPolicy: expected {\"type\":...,\"object\":{\"metadata\":...,\"spec\":...}}");
            return PolicyStatus.Invalid;
        }
        JsonNode object = event.path("object");
        String type = event.path("type").asText("");
        try {
            if (type.equals("DELETED")) {
                String name = object.path("metadata").path("name").asText("");
                if (name.isEmpty()) {
                    return PolicyStatus.Invalid;
                }
                return registry.delete(object.path("metadata").path("namespace").asText(""), name).getStatus();
            }
            if (!type.equals("ADDED") && !type.equals("MODIFIED")) {
                log.println("ward relay: containerPolicy: unknown type '" + type + "' (expected ADDED, MODIFIED or DELETED)");
                return PolicyStatus.Invalid;
            }
            ObjectNode doc = KarmorPayload.document(object);
            String yaml = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
            List<PolicyResult> results = registry.apply(yaml, "karmor");
            PolicyResult r = results.getFirst();
            return switch (r.getStatus()) {
                case Invalid -> {
                    log.println("ward relay: containerPolicy: invalid policy:\n" + r.getMessage());
                    yield PolicyStatus.Invalid;
                }
                case Applied, Modified -> type.equals("ADDED") ? PolicyStatus.Applied : PolicyStatus.Modified;
                default -> r.getStatus();
            };
        } catch (StoreException e) {
            log.println("ward relay: containerPolicy: " + e.getMessage());
            return PolicyStatus.Failure;
        } catch (IOException e) {
            return PolicyStatus.Invalid;
        }
    }
}
