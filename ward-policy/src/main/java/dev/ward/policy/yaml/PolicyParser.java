package dev.ward.policy.yaml;

import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.Problem;
import dev.ward.policy.model.CapabilityRule;
import dev.ward.policy.model.PathRule;
import dev.ward.policy.model.ProtocolRule;
import dev.ward.policy.model.Selector;
import dev.ward.policy.model.SyscallRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Parses KubeArmorPolicy documents from YAML text. Steps: compose YAML nodes (positions kept, YAML 1.2 core
 * schema, duplicate keys let through so that we report them with both places, {@link InputLimits} enforced by
 * {@link BoundedYaml}); check each document's header
 * (apiVersion, kind, metadata.name); read the spec block by block; resolve severity/tags/message/action
 * inheritance. Every problem goes to the sink; a document with problems yields no policy.
 *
 * <pre>{@code
 * List<Problem> problems = new ArrayList<>();
 * List<KubeArmorPolicy> ps = PolicyParser.parse(text, "policy.yaml", problems);
 * }</pre>
 */
public final class PolicyParser {
    private PolicyParser() {
    }

    static final String API_VERSION = "security.kubearmor.com/v1";
    static final String KIND = "KubeArmorPolicy";
    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final Set<String> SPEC = PathRulesParser.union(
            Set.of("selector", "process", "file", "network", "capabilities", "syscalls"));
    private static final Set<String> SPEC_UNSUPPORTED = Set.of("presets", "apparmor", "selinux", "device");

    /** Parses every document of {@code text}; problems are added to {@code sink}, positions name {@code source}. */
    public static List<KubeArmorPolicy> parse(String text, String source, List<Problem> sink) {
        Problems p = new Problems(source, text, sink);
        List<KubeArmorPolicy> out = new ArrayList<>();
        YamlDocuments.forEach(text, p, "a KubeArmorPolicy", doc -> {
            int before = p.count();
            KubeArmorPolicy policy = document(doc, p);
            if (policy != null && p.count() == before) {
                out.add(policy);
            }
        });
        return out;
    }

    /** One document as a KubeArmorPolicy, or null after reporting. */
    static KubeArmorPolicy document(Node doc, Problems p) {
        Fields top = Fields.of(doc, "the document", p, TOP, Set.of());
        if (top == null) {
            return null;
        }
        Node api = top.require("apiVersion", p, API_VERSION);
        if (api != null) {
            String v = Values.string(api, "apiVersion", p);
            if (v != null && !v.equals(API_VERSION)) {
                p.at(api, ErrorCode.BAD_HEADER, "apiVersion \"" + v + "\" is not supported (expected "
                        + API_VERSION + ")");
            }
        }
        Node kind = top.require("kind", p, KIND);
        if (kind != null) {
            String v = Values.string(kind, "kind", p);
            if (v != null && !v.equals(KIND)) {
                p.at(kind, ErrorCode.BAD_HEADER, "kind \"" + v + "\" is not supported (expected " + KIND
                        + (v.startsWith("KubeArmor") ? "; host and cluster policies are not for containers" : "")
                        + ")");
            }
        }
        String name = null;
        String namespace = "";
        Node meta = top.require("metadata", p, "a mapping with name");
        if (meta != null) {
            // metadata is an open Kubernetes object (labels, annotations, uid...): only name and namespace matter.
            Fields m = Fields.of(meta, "metadata", p, null, Set.of());
            if (m != null) {
                Node nn = m.require("name", p, "the policy's name");
                name = nn == null ? null : Values.string(nn, "metadata.name", p);
                Node ns = m.get("namespace");
                String s = ns == null ? "" : Values.string(ns, "metadata.namespace", p);
                namespace = s == null ? "" : s;
            }
        }
        Node specNode = top.require("spec", p, "a mapping with selector and rules");
        if (specNode == null) {
            return null;
        }
        return spec(specNode, name, namespace, p.position(doc), p);
    }

    private static KubeArmorPolicy spec(Node n, String name, String namespace,
            dev.ward.policy.model.Position position, Problems p) {
        Fields f = Fields.of(n, "spec", p, SPEC, SPEC_UNSUPPORTED);
        if (f == null) {
            return null;
        }
        Meta spec = Meta.read(f, p);
        Node sel = f.require("selector", p, "matchLabels, e.g. kubearmor.io/container.name: <name>, or '*'");
        Selector selector = sel == null ? null : SelectorParser.read(sel, p);
        List<PathRule> process = f.has("process") ? PathRulesParser.read(f.get("process"), false, spec, p)
                : List.of();
        List<PathRule> file = f.has("file") ? PathRulesParser.read(f.get("file"), true, spec, p) : List.of();
        List<ProtocolRule> network = f.has("network") ? ResourceRulesParser.network(f.get("network"), spec, p)
                : List.of();
        List<CapabilityRule> caps = f.has("capabilities")
                ? ResourceRulesParser.capabilities(f.get("capabilities"), spec, p) : List.of();
        List<SyscallRule> syscalls = f.has("syscalls") ? ResourceRulesParser.syscalls(f.get("syscalls"), spec, p)
                : List.of();
        if (!f.has("process") && !f.has("file") && !f.has("network") && !f.has("capabilities")
                && !f.has("syscalls")) {
            p.at(f.node(), ErrorCode.NO_RULES, "spec has no rules (expected at least one of process, file, network, "
                    + "capabilities, syscalls)");
        }
        if (name == null || selector == null) {
            return null;
        }
        return new KubeArmorPolicy(name, namespace, position, selector,
                spec.action() == null ? dev.ward.policy.Action.BLOCK : spec.action(), process, file, network, caps,
                syscalls);
    }
}
