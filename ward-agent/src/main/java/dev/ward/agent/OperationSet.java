package dev.ward.agent;

import dev.ward.capture.Family;
import java.util.Locale;

/**
 * A set of the operations policies speak of, as {@code ward run} options write them: {@code --visibility}
 * (which operations the system logs cover, KubeArmor's visibility setting; alerts are not affected) and
 * {@code --trap} (which operations the seccomp filter stops at all).
 */
public record OperationSet(boolean process, boolean file, boolean network, boolean capabilities) {
    public static final OperationSet ALL = new OperationSet(true, true, true, true);

    /**
     * Parses a comma-separated list of process, file, network, capabilities; {@code none} for nothing,
     * {@code all} for everything.
     *
     * @throws IllegalArgumentException naming the unknown word and the accepted ones
     */
    public static OperationSet parse(String option, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return ALL;
        }
        boolean p = false;
        boolean f = false;
        boolean n = false;
        boolean c = false;
        if (!t.equals("none")) {
            for (String word : t.split(",")) {
                switch (word.strip()) {
                    case "process" -> p = true;
                    case "file" -> f = true;
                    case "network" -> n = true;
                    case "capabilities" -> c = true;
                    default -> throw new IllegalArgumentException(option + ": unknown operation '" + word.strip()
                            + "': expected a comma-separated list of process, file, network, capabilities, or none");
                }
            }
        }
        return new OperationSet(p, f, n, c);
    }

    /**
     * The operations a policy set and the requested logs need stopped: exactly those for which the Guard
     * would decide or report anything ({@code Guard.wants} asks this very rule). syscalls rules see every trapped call, so
     * they need all.
     */
    static OperationSet needed(dev.ward.policy.PolicySet set, dev.ward.api.LogFilter filter, OperationSet visibility) {
        if (set.hasRules(dev.ward.policy.Operation.SYSCALL)) {
            return ALL;
        }
        boolean logs = filter.logs();
        boolean caps = set.hasRules(dev.ward.policy.Operation.CAPABILITIES);
        return new OperationSet(set.hasRules(dev.ward.policy.Operation.PROCESS) || logs && visibility.process(),
                set.hasRules(dev.ward.policy.Operation.FILE) || logs && visibility.file(),
                set.hasRules(dev.ward.policy.Operation.NETWORK) || caps || logs && visibility.network(),
                caps || set.hasRules(dev.ward.policy.Operation.FILE) // chown of a protected file
                        || logs && visibility.capabilities());
    }

    /** The operations in this set or the other. */
    OperationSet union(OperationSet o) {
        return new OperationSet(process || o.process, file || o.file, network || o.network,
                capabilities || o.capabilities);
    }

    /** Whether this set covers a family of trapped syscalls (self-protection's family always). */
    boolean covers(Family family) {
        return switch (family) {
            case EXEC -> process;
            case OPEN, FILE_MODIFY -> file;
            case NETWORK -> network;
            case PRIVILEGED, MOUNT -> capabilities;
            case TAKEOVER -> true;
            case MESH, MESH_INBOUND -> false; // the mesh capture's own calls: trapped when it is on, never for a policy
            case CWD_UID -> false; // trapped while logs are on, for the tracer's facts (Agent), never for a policy
        };
    }

    /** The syscall families the seccomp filter must stop for these operations. */
    java.util.Set<Family> families() {
        java.util.EnumSet<Family> out = java.util.EnumSet.noneOf(Family.class);
        for (Family f : Family.values()) {
            if (covers(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The policy operations this set leaves out (capabilities rules also need the network family). */
    java.util.List<dev.ward.policy.Operation> missing() {
        java.util.List<dev.ward.policy.Operation> out = new java.util.ArrayList<>();
        if (!process) {
            out.add(dev.ward.policy.Operation.PROCESS);
        }
        if (!file) {
            out.add(dev.ward.policy.Operation.FILE);
        }
        if (!network) {
            out.add(dev.ward.policy.Operation.NETWORK);
        }
        if (!capabilities || !network) {
            out.add(dev.ward.policy.Operation.CAPABILITIES);
        }
        return out;
    }

    /**
     * Written out, as is {@link #hashCode}: a record's generated equals is linked at its first call through
     * ObjectMethods, which generates classes at run time (the start-up cache cannot hold them), and the agent's
     * start compares trap sets before it spawns the workload (7 to 15 ms of its main thread).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof OperationSet s && process == s.process && file == s.file && network == s.network
                && capabilities == s.capabilities;
    }

    @Override
    public int hashCode() {
        return (process ? 1 : 0) | (file ? 2 : 0) | (network ? 4 : 0) | (capabilities ? 8 : 0);
    }

    @Override
    public String toString() {
        java.util.StringJoiner j = new java.util.StringJoiner(",");
        if (process) {
            j.add("process");
        }
        if (file) {
            j.add("file");
        }
        if (network) {
            j.add("network");
        }
        if (capabilities) {
            j.add("capabilities");
        }
        return j.length() == 0 ? "none" : j.toString();
    }
}
