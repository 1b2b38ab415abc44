package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The agent's settings in an ECS container definition: {@code CONTAINERNAME}, {@code RELAYSERVERURL},
 * {@code WARD_POLICY}, the other {@code WARD_*} settings, and the relay token, as an ECS secret or (for tests and
 * development, {@code --relay-token-env}) as a plain value.
 */
final class AgentSettings {
    static final String TOKEN = "WARD_RELAY_TOKEN";

    private AgentSettings() {
    }

    static void ecs(InjectOptions options, ObjectNode c, String name, List<String> change) {
        ArrayNode env = array(c, "environment");
        setEnv(env, "CONTAINERNAME", name, false);
        if (options.relay() != null) {
            setEnv(env, "RELAYSERVERURL", options.relay(), true);
        }
        if (options.policyYaml() != null) {
            setEnv(env, "WARD_POLICY", options.policyYaml(), true);
        }
        for (Map.Entry<String, String> e : options.env().entrySet()) {
            setEnv(env, e.getKey(), e.getValue(), true);
        }
        if (options.relayTokenPlain() != null) {
            setEnv(env, TOKEN, options.relayTokenPlain(), true);
            change.add(TOKEN + " as a plain environment value (--relay-token-env: for tests and development only)");
        }
        if (options.relayTokenSecret() != null) {
            ArrayNode secrets = array(c, "secrets");
            for (JsonNode s : secrets) {
                if (s.path("name").asText().equals(TOKEN)) {
                    ((ObjectNode) s).put("valueFrom", options.relayTokenSecret());
                    return;
                }
            }
            secrets.addObject().put("name", TOKEN).put("valueFrom", options.relayTokenSecret());
            change.add("secret " + TOKEN + " from " + options.relayTokenSecret());
        }
    }

    /** The same for a Kubernetes container's {@code env}; the token's secret is SECRET/KEY, a secretKeyRef. */
    static void kubernetes(InjectOptions options, List<Map<String, Object>> env, String name, List<String> change) {
        setEnv(env, "CONTAINERNAME", name, false);
        if (options.relay() != null) {
            setEnv(env, "RELAYSERVERURL", options.relay(), true);
        }
        if (options.policyYaml() != null) {
            setEnv(env, "WARD_POLICY", options.policyYaml(), true);
        }
        options.env().forEach((k, v) -> setEnv(env, k, v, true));
        if (options.relayTokenPlain() != null) {
            setEnv(env, TOKEN, options.relayTokenPlain(), true);
            change.add(TOKEN + " as a plain env value (--relay-token-env: for tests and development only)");
        }
        if (options.relayTokenSecret() != null) {
            String[] ref = options.relayTokenSecret().split("/", 2);
            env.removeIf(e -> TOKEN.equals(e.get("name")));
            env.add(KubernetesInjector.mapOf("name", TOKEN, "valueFrom",
                    KubernetesInjector.mapOf("secretKeyRef", KubernetesInjector.mapOf("name", ref[0], "key", ref[1]))));
            change.add(TOKEN + " from Secret " + ref[0] + " key " + ref[1]);
        }
    }

    /** Sets {@code name} (an existing value only when {@code replace}); whether the list changed. */
    static boolean setEnv(List<Map<String, Object>> env, String name, String value, boolean replace) {
        for (Map<String, Object> e : env) {
            if (name.equals(e.get("name"))) {
                if (!replace || value.equals(e.get("value"))) {
                    return false;
                }
                e.put("value", value);
                return true;
            }
        }
        env.add(KubernetesInjector.mapOf("name", name, "value", value));
        return true;
    }

    /** The same for an ECS {@code environment} array. */
    static boolean setEnv(ArrayNode env, String name, String value, boolean replace) {
        for (JsonNode e : env) {
            if (e.path("name").asText().equals(name)) {
                if (!replace || e.path("value").asText().equals(value)) {
                    return false;
                }
                ((ObjectNode) e).put("value", value);
                return true;
            }
        }
        env.addObject().put("name", name).put("value", value);
        return true;
    }

    static ArrayNode array(ObjectNode c, String field) {
        JsonNode n = c.get(field);
        return n != null && n.isArray() ? (ArrayNode) n : c.putArray(field);
    }
}
