package dev.ward.policy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policies that apply to one container, compiled into indexes. Immutable and safe to share: the agent keeps
 * the current set in an {@code AtomicReference<PolicySet>} and swaps in a new one when policies change, so a
 * decision sees the old set or the new one, never half of either. Each decision uses only the scratch space of
 * its request object, so any number of threads may decide at once, each with its own request objects.
 *
 * <h2>How a decision is made</h2>
 * <ol>
 *   <li>Rules with a fromSource matching the caller's executable are consulted first; rules without fromSource
 *       only decide what those left open (KubeArmor's enforcers do the same: a source's own rules override).</li>
 *   <li>Within that order the most specific rule wins: exact path, then glob, then the deepest directory
 *       (see {@link PathTrie}); at equal specificity Block wins over Allow.</li>
 *   <li>ownerOnly/readOnly are conditions: an access that satisfies them is permitted by the rule, a violation
 *       gets the rule's action, and Block for an Allow rule.</li>
 *   <li>Audit rules never decide; they report when nothing blocks.</li>
 *   <li>When any Allow rule of an operation kind applies to the container, that kind is an allow-list: what no rule
 *       permits gets the {@link Posture} (PolicyName "DefaultPosture").</li>
 * </ol>
 *
 * <pre>{@code
 * PolicySet set = PolicySet.compile(PolicyLoader.load(paths), ContainerIdentity.named("web"), Posture.defaults());
 * FileRequest q = new FileRequest().path("/etc/shadow").source("/usr/bin/cat");
 * Match m = set.file(q);   // null: nothing to enforce or report
 * }</pre>
 */
public final class PolicySet {
    private static final PolicySet EMPTY = new PolicySet(List.of(), 0, Posture.defaults(), Set.of(),
            PathIndex.EMPTY, PathIndex.EMPTY, ClassIndex.EMPTY, ClassIndex.EMPTY, SyscallIndex.EMPTY, Set.of(), false,
            List.of());

    private final List<String> policyNames;
    private final int ruleCount;
    private final Posture posture;
    private final Set<Operation> allowLists;
    private final PathIndex process;
    private final PathIndex file;
    private final ClassIndex network;
    private final ClassIndex capabilities;
    private final SyscallIndex syscalls;
    // The posture results, or null where the operation is not an allow-list or the posture is allow.
    private final Match processPosture;
    private final Match filePosture;
    private final Match networkPosture;
    private final Match capabilitiesPosture;
    private final Set<Operation> present;
    private final boolean ownerOnly;
    private final List<FileTarget> targets;

    PolicySet(List<String> policyNames, int ruleCount, Posture posture, Set<Operation> allowLists,
            PathIndex process, PathIndex file, ClassIndex network, ClassIndex capabilities, SyscallIndex syscalls,
            Set<Operation> present, boolean ownerOnly, List<FileTarget> targets) {
        this.targets = List.copyOf(targets);
        this.present = present.isEmpty() ? Set.of() : java.util.EnumSet.copyOf(present);
        this.ownerOnly = ownerOnly;
        this.policyNames = List.copyOf(policyNames);
        this.ruleCount = ruleCount;
        this.posture = posture;
        this.allowLists = Set.copyOf(allowLists);
        this.process = process;
        this.file = file;
        this.network = network;
        this.capabilities = capabilities;
        this.syscalls = syscalls;
        Map<Operation, Match> p = new EnumMap<>(Operation.class);
        for (Operation op : allowLists) {
            Action a = posture.of(op);
            if (a != Action.ALLOW) {
                p.put(op, Match.posture(a, op));
            }
        }
        this.processPosture = p.get(Operation.PROCESS);
        this.filePosture = p.get(Operation.FILE);
        this.networkPosture = p.get(Operation.NETWORK);
        this.capabilitiesPosture = p.get(Operation.CAPABILITIES);
    }

    /** No policies: every decision returns null. */
    public static PolicySet empty() {
        return EMPTY;
    }

    /**
     * Compiles the policies whose selector matches {@code id}; the others are ignored. The policies must come from
     * {@link PolicyLoader}, which has validated them, so compiling cannot fail.
     */
    public static PolicySet compile(List<KubeArmorPolicy> policies, ContainerIdentity id, Posture posture) {
        return Compiler.compile(policies, id, posture);
    }

    /** Number of rules (matchPaths, matchDirectories, ... entries) of the selected policies. */
    public int ruleCount() {
        return ruleCount;
    }

    /**
     * Whether any rule of this kind applies, or the kind is an allow-list: the tracer skips work (path
     * resolution, exit checks) for kinds no rule is about.
     */
    public boolean hasRules(Operation op) {
        return present.contains(op) || allowLists.contains(op);
    }

    /** Whether any rule uses ownerOnly, so requests must carry the target's owner (a stat per decision). */
    public boolean needsOwner() {
        return ownerOnly;
    }

    /**
     * The literal paths and directories of process and file rules (globs excluded): the agent indexes the
     * inodes behind them, so that another name for the same file (a hard link) is decided as the
     * rule's own path.
     */
    public List<FileTarget> targets() {
        return targets;
    }

    /** Names of the policies that selected the container, in load order. */
    public List<String> policyNames() {
        return policyNames;
    }

    public Posture posture() {
        return posture;
    }

    /** True when an Allow rule made this kind of operation an allow-list (the default posture applies). */
    public boolean allowList(Operation op) {
        return allowLists.contains(op);
    }

    /** Syscall names that syscalls rules audit: the tracer must trap these in addition to its own list. */
    public Set<String> auditedSyscalls() {
        return syscalls.names();
    }

    /**
     * An execve/execveat: {@code r.path} is the binary being executed, {@code r.source} the exe of the calling
     * process, {@code r.ownerUid} the owner of the binary (ownerOnly).
     *
     * @return null when nothing applies (run silently); otherwise see {@link Match}
     */
    public Match process(FileRequest r) {
        Scratch s = r.scratch;
        s.reset(false, r.uid, r.ownerUid);
        process.lookup(r, s);
        return s.decide(processPosture);
    }

    /** An open, creat, unlink, rename, link, chmod...: {@code r.path} is the file, {@code r.source} the exe. */
    public Match file(FileRequest r) {
        Scratch s = r.scratch;
        s.reset(r.write, r.uid, r.ownerUid);
        file.lookup(r, s);
        return s.decide(filePosture);
    }

    /** A socket() call (the agent reports connect/bind/accept with the same decision for the socket). */
    public Match network(NetworkRequest r) {
        long classes = NetworkClass.classify(r.family, r.type, r.protocol);
        if (classes == 0) {
            return null; // a local family (AF_UNIX, AF_NETLINK...): not a network operation
        }
        Scratch s = r.scratch;
        s.reset(false, -1, -1);
        network.lookup(classes, r.source, r.sourceLength, s);
        return s.decide(networkPosture);
    }

    /** A use of a capability by the process whose exe is {@code r.source}. */
    public Match capability(CapabilityRequest r) {
        if (r.capability < 0 || r.capability > 63) {
            return null;
        }
        Scratch s = r.scratch;
        s.reset(false, -1, -1);
        capabilities.lookup(1L << r.capability, r.source, r.sourceLength, s);
        return s.decide(capabilitiesPosture);
    }

    /** A trapped syscall: an Audit match when a syscalls rule names it (audit only, never blocks), else null. */
    public Match syscall(SyscallRequest r) {
        return syscalls.lookup(r);
    }

    @Override
    public String toString() {
        return "PolicySet" + policyNames + " (" + ruleCount + " rules, allow-lists " + allowLists + ", " + posture
                + ")";
    }
}
