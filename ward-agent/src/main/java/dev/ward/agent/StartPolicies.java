package dev.ward.agent;

import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyFiles;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.Problem;
import dev.ward.policy.pack.PolicyPack;
import dev.ward.policy.yaml.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The policies {@code ward run} starts with: the --policy files (KubeArmorPolicy and Istio AuthorizationPolicy
 * documents; the latter go to the mesh), and the fixed ones that no file change replaces: WARD_POLICY and the
 * --pack packs.
 *
 * @param files the --policy files' content
 * @param fixed WARD_POLICY's and the packs' policies, kept when the files are reloaded
 */
record StartPolicies(PolicyFiles files, List<KubeArmorPolicy> fixed) {
    StartPolicies {
        fixed = List.copyOf(fixed);
    }

    static StartPolicies load(AgentOptions o) throws PolicyException {
        PolicyFiles files = PolicyLoader.loadAll(o.policyPaths());
        List<KubeArmorPolicy> fixed = new ArrayList<>();
        String inline = o.inlinePolicy();
        if (inline != null && !inline.isBlank()) {
            String trimmed = inline.strip();
            if (trimmed.contains("\n") || trimmed.startsWith("apiVersion") || trimmed.startsWith("kind")) {
                fixed.addAll(PolicyLoader.parse(inline, "WARD_POLICY"));
            } else {
                fixed.addAll(PolicyLoader.load(List.of(Path.of(trimmed))));
            }
        }
        for (String pack : o.packs()) {
            fixed.addAll(PolicyPack.named(pack).load(false));
        }
        checkNames(files.kubeArmor(), fixed);
        return new StartPolicies(files, fixed);
    }

    /** Everything to apply at start: the files' KubeArmorPolicies, then the fixed ones. */
    PolicyFiles all() {
        List<KubeArmorPolicy> all = new ArrayList<>(files.kubeArmor());
        all.addAll(fixed);
        return new PolicyFiles(all, files.authorization(), files.warnings());
    }

    /**
     * A pack's policy given again by a file or WARD_POLICY (a copy someone adapted, loaded beside the pack) would
     * make the alerts ambiguous: refused like a name used twice in the files.
     */
    private static void checkNames(List<KubeArmorPolicy> fromFiles, List<KubeArmorPolicy> fixed)
            throws PolicyException {
        Map<String, KubeArmorPolicy> seen = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (KubeArmorPolicy p : fromFiles) {
            seen.putIfAbsent(p.namespace() + "/" + p.name(), p);
        }
        for (KubeArmorPolicy p : fixed) {
            KubeArmorPolicy first = seen.putIfAbsent(p.namespace() + "/" + p.name(), p);
            if (first != null) {
                var pos = p.position();
                problems.add(new Problem(pos.file(), pos.line(), pos.column(), ErrorCode.DUPLICATE_POLICY.code(),
                        "policy '" + p.name() + "' is defined twice (expected unique names; the other is at "
                        + first.position() + "; drop --pack or rename the copy)", ""));
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
    }
}
