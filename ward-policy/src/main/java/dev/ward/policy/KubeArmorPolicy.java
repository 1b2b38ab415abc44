package dev.ward.policy;

import dev.ward.policy.model.CapabilityRule;
import dev.ward.policy.model.PathRule;
import dev.ward.policy.model.Position;
import dev.ward.policy.model.ProtocolRule;
import dev.ward.policy.model.Selector;
import dev.ward.policy.model.SyscallRule;
import java.util.List;
import java.util.Objects;

/**
 * One parsed and validated KubeArmorPolicy (security.kubearmor.com/v1). Immutable. Every rule already carries its
 * effective action, severity, tags and message (inheritance resolved) and the position it was written at.
 *
 * <pre>{@code
 * List<KubeArmorPolicy> ps = PolicyLoader.load(List.of(Path.of("/etc/ward/policies")));
 * PolicySet set = PolicySet.compile(ps, ContainerIdentity.named("web"), Posture.defaults());
 * }</pre>
 */
public final class KubeArmorPolicy {
    private final String name;
    private final String namespace;
    private final Position position;
    private final Selector selector;
    private final Action action;
    private final List<PathRule> process;
    private final List<PathRule> file;
    private final List<ProtocolRule> network;
    private final List<CapabilityRule> capabilities;
    private final List<SyscallRule> syscalls;

    /**
     * @param namespace "" when the policy has none
     * @param position  where the document starts
     * @param action    the spec-level action after defaulting (Block when absent)
     */
    public KubeArmorPolicy(String name, String namespace, Position position, Selector selector, Action action,
            List<PathRule> process, List<PathRule> file, List<ProtocolRule> network,
            List<CapabilityRule> capabilities, List<SyscallRule> syscalls) {
        this.name = Objects.requireNonNull(name, "name");
        this.namespace = namespace == null ? "" : namespace;
        this.position = Objects.requireNonNull(position, "position");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.action = Objects.requireNonNull(action, "action");
        this.process = List.copyOf(process);
        this.file = List.copyOf(file);
        this.network = List.copyOf(network);
        this.capabilities = List.copyOf(capabilities);
        this.syscalls = List.copyOf(syscalls);
    }

    public String name() {
        return name;
    }

    /** "" when metadata.namespace is absent. */
    public String namespace() {
        return namespace;
    }

    /** Where the policy's document starts. */
    public Position position() {
        return position;
    }

    public Selector selector() {
        return selector;
    }

    /** The spec-level action after defaulting (KubeArmor: Block when absent). */
    public Action action() {
        return action;
    }

    public List<PathRule> process() {
        return process;
    }

    public List<PathRule> file() {
        return file;
    }

    public List<ProtocolRule> network() {
        return network;
    }

    public List<CapabilityRule> capabilities() {
        return capabilities;
    }

    public List<SyscallRule> syscalls() {
        return syscalls;
    }

    /** All rules of the policy. */
    public int ruleCount() {
        return process.size() + file.size() + network.size() + capabilities.size() + syscalls.size();
    }

    /**
     * True when the policy applies to the container: its selector matches the container's labels and, when both the
     * policy and the container have a namespace (a pod), they are the same one. A policy without metadata.namespace
     * applies in every namespace.
     */
    public boolean selects(ContainerIdentity id) {
        if (!namespace.isEmpty() && !id.namespace().isEmpty() && !namespace.equals(id.namespace())) {
            return false;
        }
        return selector.matches(id);
    }

    @Override
    public String toString() {
        return (namespace.isEmpty() ? "" : namespace + "/") + name + " (" + ruleCount() + " rules, " + position + ")";
    }
}
