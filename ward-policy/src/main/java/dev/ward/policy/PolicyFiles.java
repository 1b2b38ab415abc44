package dev.ward.policy;

import dev.ward.policy.istio.AuthorizationPolicy;
import java.util.List;

/**
 * Everything {@link PolicyLoader#loadAll} read: KubeArmor policies, Istio AuthorizationPolicies, and the linter's
 * warnings (positions and codes like errors, but nothing that stops the policies from loading).
 */
public record PolicyFiles(List<KubeArmorPolicy> kubeArmor, List<AuthorizationPolicy> authorization,
        List<Problem> warnings) {
    public PolicyFiles {
        kubeArmor = List.copyOf(kubeArmor);
        authorization = List.copyOf(authorization);
        warnings = List.copyOf(warnings);
    }
}
