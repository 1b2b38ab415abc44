package dev.ward.policy.yaml;

import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.Problem;
import dev.ward.policy.istio.AuthorizationPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy text that may mix KubeArmorPolicy and Istio AuthorizationPolicy documents ({@code ward policy lint}):
 * each document goes to the parser its {@code kind} names; anything else is reported as the KubeArmor parser
 * always did.
 *
 * <pre>{@code
 * PolicyDocuments.Parsed d = PolicyDocuments.parse(text, "policies.yaml", errors, warnings);
 * }</pre>
 */
public final class PolicyDocuments {
    private PolicyDocuments() {
    }

    /** The policies of one text; documents with errors yield none. */
    public record Parsed(List<KubeArmorPolicy> kubeArmor, List<AuthorizationPolicy> authorization) {
        public Parsed {
            kubeArmor = List.copyOf(kubeArmor);
            authorization = List.copyOf(authorization);
        }
    }

    /** Parses every document; errors go to {@code errors}, the linter's advice to {@code warnings}. */
    public static Parsed parse(String text, String source, List<Problem> errors, List<Problem> warnings) {
        Problems p = new Problems(source, text, errors);
        Problems w = new Problems(source, text, warnings);
        List<KubeArmorPolicy> kubeArmor = new ArrayList<>();
        List<AuthorizationPolicy> authorization = new ArrayList<>();
        YamlDocuments.forEach(text, p, "a KubeArmorPolicy or an AuthorizationPolicy", doc -> {
            int before = p.count();
            if (AuthorizationPolicyParser.claims(doc)) {
                AuthorizationPolicy a = AuthorizationPolicyParser.document(doc, p, w);
                if (a != null && p.count() == before) {
                    authorization.add(a);
                }
            } else {
                KubeArmorPolicy k = PolicyParser.document(doc, p);
                if (k != null && p.count() == before) {
                    kubeArmor.add(k);
                }
            }
        });
        return new Parsed(kubeArmor, authorization);
    }
}
