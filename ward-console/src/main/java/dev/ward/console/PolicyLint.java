package dev.ward.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyFiles;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.Problem;
import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.relay.store.StoredPolicy;
import java.util.Comparator;
import java.util.List;

/**
 * {@code POST /api/policies/lint}: ward-policy's linter on pasted YAML, as {@code ward policy lint} runs it on a
 * file (KubeArmorPolicy and AuthorizationPolicy documents mixed): the errors, else the warnings, by line and column.
 */
final class PolicyLint {
    /** The name problems are reported under, as a file's would be. */
    static final String SOURCE = "policy.yaml";

    private PolicyLint() {
    }

    /** {@code {"problems": [...], "documents": [...]}}; documents only when there is no error. */
    static ObjectNode lint(String yaml) {
        ObjectNode body = Http.JSON.createObjectNode();
        ArrayNode problems = body.putArray("problems");
        ArrayNode documents = body.putArray("documents");
        try {
            PolicyFiles files = PolicyLoader.parseAll(yaml, SOURCE);
            sorted(files.warnings()).forEach(w -> add(problems, w, "warning"));
            for (KubeArmorPolicy k : files.kubeArmor()) {
                documents.addObject().put("kind", StoredPolicy.KUBEARMOR).put("name", k.name())
                        .put("namespace", k.namespace());
            }
            for (AuthorizationPolicy a : files.authorization()) {
                documents.addObject().put("kind", StoredPolicy.AUTHORIZATION).put("name", a.name())
                        .put("namespace", a.namespace());
            }
            if (documents.isEmpty()) {
                add(problems, new Problem(SOURCE, 0, 0, dev.ward.policy.yaml.ErrorCode.BAD_HEADER.code(), "no KubeArmorPolicy or AuthorizationPolicy document "
                        + "found (expected kind: KubeArmorPolicy or kind: AuthorizationPolicy)", ""), "error");
            }
        } catch (PolicyException e) {
            sorted(e.problems()).forEach(p -> add(problems, p, "error"));
        }
        return body;
    }

    static boolean hasErrors(ObjectNode lint) {
        for (JsonNode p : lint.get("problems")) {
            if (p.get("severity").asText().equals("error")) {
                return true;
            }
        }
        return false;
    }

    private static List<Problem> sorted(List<Problem> problems) {
        return problems.stream().sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
                .toList();
    }

    private static void add(ArrayNode problems, Problem p, String severity) {
        problems.addObject().put("line", p.line()).put("column", p.column()).put("severity", severity)
                .put("code", p.code()).putNull("field").put("message", p.message()).put("text", p.format(severity));
    }
}
