package dev.ward.agent;

import dev.ward.agent.output.Exporter;
import dev.ward.agent.output.Telemetry;
import dev.ward.bindings.Errno;
import dev.ward.bindings.ProcFs;
import dev.ward.capture.Family;
import dev.ward.capture.SyscallEvent;
import dev.ward.capture.TraceListener;
import dev.ward.capture.Verdict;
import dev.ward.policy.Action;
import dev.ward.policy.Capability;
import dev.ward.policy.CapabilityRequest;
import dev.ward.policy.SyscallRequest;
import dev.ward.policy.FileRequest;
import dev.ward.policy.Match;
import dev.ward.policy.NetworkRequest;
import dev.ward.policy.Operation;
import dev.ward.policy.PolicySet;
import dev.ward.state.IntMap;
import dev.ward.state.ProcessTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides every trapped syscall: looks up the process, asks the current {@link PolicySet}, answers the
 * tracer, and reports. Runs on the tracer thread only.
 *
 * <p>Hot path (no rule matched and no logs wanted): fill the reused request, one policy lookup, return
 * ALLOW. Nothing is allocated until an event is to be reported.
 */
final class Guard implements TraceListener {
    static final String ENFORCER = "Ward";
    static final String SELF_PROTECTION = SelfProtection.POLICY;

    private final ProcessTable processes = new ProcessTable();
    private final AtomicReference<LiveRules> policies;
    private final Exporter exporter;
    private final Identity identity;
    private final LogFilter filter;
    private final OperationSet visibility;
    private final String labels;
    private final FileRequest fileRequest = new FileRequest();
    private final NetworkRequest networkRequest = new NetworkRequest();
    private final CapabilityRequest capabilityRequest = new CapabilityRequest();
    private final SyscallRequest syscallRequest = new SyscallRequest();
    private final ProcFs proc = new ProcFs();
    private final byte[] exeBuffer = new byte[ProcFs.PATH_MAX];
    /** Per-thread state between a syscall's entry and exit; one reused slot per thread. */
    private static final class Pending {
        boolean active;
        /** Re-decide on the file actually opened (its fd's path) at exit. */
        boolean verify;
        boolean writes;
        /** Another task shares the descriptor table: a block found at exit kills rather than revokes. */
        boolean shared;
        /** The report to send with the result, or null. */
        Telemetry report;
    }

    private final IntMap<Pending> pending = new IntMap<>(64);
    private final byte[] fdPath = new byte[ProcFs.PATH_MAX];

    Guard(AtomicReference<LiveRules> policies, Exporter exporter, Identity identity, LogFilter filter) {
        this(policies, exporter, identity, filter, OperationSet.ALL);
    }

    Guard(AtomicReference<LiveRules> policies, Exporter exporter, Identity identity, LogFilter filter,
            OperationSet visibility) {
        this.visibility = visibility;
        this.policies = policies;
        this.exporter = exporter;
        this.identity = identity;
        this.filter = filter;
        this.labels = identity.labelString();
    }

    private int agentPid;
    private String agentExe = "";
    private int agentUid = -1;
    private SelfProtection self = new SelfProtection(-1, PathSet.EMPTY);

    /** Names the agent, whose image the workload's first process runs until its execve. */
    void agent(int pid, String exe, int uid) {
        agent(pid, exe, uid, new SelfProtection(pid, PathSet.EMPTY));
    }

    /** Like {@link #agent(int, String, int)}, with what the workload may never reach of the agent's. */
    void agent(int pid, String exe, int uid, SelfProtection self) {
        this.agentPid = pid;
        this.agentExe = exe;
        this.agentUid = uid;
        this.self = self;
    }

    @Override
    public boolean wants(dev.ward.capture.Syscall s) {
        if (filter.logs() && visibility.covers(s.family()) || s.family() == Family.TAKEOVER
                || s.family() == Family.MOUNT) {
            return true;
        }
        if ((s.family() == Family.OPEN || s.family() == Family.FILE_MODIFY) && !self.isEmpty()) {
            return true; // the agent's own files are protected whatever the policies
        }
        PolicySet set = policies.get().set();
        if (set.hasRules(Operation.SYSCALL)) {
            return true;
        }
        return switch (s.family()) {
            case EXEC -> set.hasRules(Operation.PROCESS);
            case OPEN, FILE_MODIFY -> set.hasRules(Operation.FILE);
            case NETWORK -> set.hasRules(Operation.NETWORK) || set.hasRules(Operation.CAPABILITIES);
            case PRIVILEGED -> set.hasRules(Operation.CAPABILITIES) || set.hasRules(Operation.FILE);
            case TAKEOVER, MOUNT -> true;
        };
    }

    /** The process, registered as a child of the agent when Ward has not seen it yet (its first). */
    private ProcessTable.Process known(int tgid) {
        ProcessTable.Process p = processes.get(tgid);
        if (p == null) {
            p = processes.root(tgid, agentPid, agentExe, agentUid); // the workload's first process
            StartupClock.mark(StartupClock.LAST);
        }
        return p;
    }

    @Override
    public Verdict onSyscall(SyscallEvent e) {
        ProcessTable.Process p = known(e.tgid());
        Family family = e.syscall().family();
        if (family == Family.TAKEOVER) {
            return takeover(e, p);
        }
        if (reachesAgent(e)) {
            report(e, p, SelfProtection.AGENT, Errno.message(Errno.EACCES));
            return Verdict.DENY;
        }
        LiveRules rules = policies.get();
        PolicySet set = rules.set();
        Match m = switch (family) {
            case EXEC -> execMatch(set, e, p);
            case OPEN, FILE_MODIFY -> fileMatch(rules, e, p);
            case NETWORK -> networkMatch(set, e, p);
            case PRIVILEGED -> stronger(capabilityMatch(set, e, p), ownerChangeMatch(rules, e, p));
            case MOUNT -> mountMatch(set, e, p);
            case TAKEOVER -> null;
        };
        if (!isBlock(m) && set.hasRules(Operation.SYSCALL)) {
            m = stronger(m, syscallMatch(set, e, p));
        }
        // Opens are decided again at their exit, on the file the kernel actually reached: that closes
        // races (another thread rewriting the path, a symlink swapped after the check).
        boolean verify = family == Family.OPEN && set.hasRules(Operation.FILE);
        if (m != null && m.action() == Action.BLOCK) {
            if (filter.alerts() || m.policyName().equals(SELF_PROTECTION)) {
                report(e, p, m, Errno.message(Errno.EACCES));
            }
            return Verdict.DENY;
        }
        Telemetry report = null;
        if (m != null && m.action() == Action.AUDIT) {
            report = filter.alerts() ? build(e, p, m) : null;
        } else if (filter.logs() && visibility.covers(family)) {
            report = build(e, p, null);
        }
        if (report == null && !verify) {
            return Verdict.ALLOW;
        }
        Pending slot = pending.get(e.tid());
        if (slot == null) {
            slot = new Pending();
            pending.put(e.tid(), slot);
        }
        slot.active = true;
        slot.verify = verify;
        slot.writes = e.writes();
        slot.shared = e.shared();
        slot.report = report;
        return Verdict.ALLOW_AND_REPORT_EXIT;
    }

    /**
     * ptrace, process_vm_readv/writev, pidfd_getfd, clone with CLONE_UNTRACED (the filter stops no other
     * clone): always refused. seccomp: refused only for a filter with a
     * listener, whose notifier would outrank Ward's trace and could let calls run unseen; any other filter
     * of the workload's own only refuses more.
     */
    private Verdict takeover(SyscallEvent e, ProcessTable.Process p) {
        if (e.syscall().nr() == dev.ward.capture.SyscallTable.NR_SECCOMP
                && !(e.arg(0) == SECCOMP_SET_MODE_FILTER && (e.arg(1) & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0)) {
            return Verdict.ALLOW;
        }
        report(e, p, SelfProtection.TAKEOVER, "Permission denied");
        return Verdict.DENY;
    }

    private static final long SECCOMP_SET_MODE_FILTER = 1;
    private static final long SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;
    private static final long OPEN_TREE_CLONE = 1;

    /** A path of this call under the agent's /proc entries, or a write to one of the agent's files. */
    private boolean reachesAgent(SyscallEvent e) {
        boolean writes = e.writes() || e.syscall().family() == Family.FILE_MODIFY;
        if (e.pathLength() > 0 && self.reachesAgent(e.path(), e.pathLength(), writes, e.tgid(), workload)) {
            return true;
        }
        if (!writes && !(e.syscall().family() == Family.EXEC)) {
            return false;
        }
        if (e.pathLength() > 0 && (self.protectsFile(e.path(), e.pathLength())
                || e.syscall().family() == Family.FILE_MODIFY && self.fileInside(e.path(), e.pathLength()) != null)) {
            return writes;
        }
        if (e.path2Length() > 0 && self.protectsFile(e.path2(), e.path2Length())) {
            return true;
        }
        if (!writes || e.pathLength() == 0) {
            return false;
        }
        // Through symlinks and /proc/self links: the file the kernel will reach.
        int n = e.canonicalPath();
        return n > 0 && (self.protectsFile(e.canonical(), n)
                || self.reachesAgent(e.canonical(), n, true, e.tgid(), workload));
    }

    private final java.util.function.IntPredicate workload = this::isWorkload; // made once: no allocation per event

    private boolean isWorkload(int pid) {
        return processes.get(pid) != null;
    }

    /**
     * Mount table, root and mount namespace changes: while file or process rules are in force, every
     * decision is about a path, and these would change what a path names (a bind mount of a protected file
     * elsewhere, a detached tree, another root), so they are refused. Without such rules they are what they
     * were: calls that need CAP_SYS_ADMIN or CAP_SYS_CHROOT, for capabilities rules.
     */
    private Match mountMatch(PolicySet set, SyscallEvent e, ProcessTable.Process p) {
        boolean detachedTree = e.syscall().nr() != dev.ward.capture.SyscallTable.NR_OPEN_TREE
                || (e.arg(2) & OPEN_TREE_CLONE) != 0; // open_tree without CLONE is an O_PATH open
        if (detachedTree && (set.hasRules(Operation.FILE) || set.hasRules(Operation.PROCESS))) {
            return SelfProtection.FILE_VIEW;
        }
        return capabilityMatch(set, e, p);
    }

    /** chown and friends change a file's metadata: decided as a write to it when file rules are loaded. */
    private Match ownerChangeMatch(LiveRules rules, SyscallEvent e, ProcessTable.Process p) {
        if (e.pathLength() == 0 || !rules.set().hasRules(Operation.FILE)
                || CAPABILITY_BY_NR[e.syscall().nr()] != Capability.CHOWN) {
            return null;
        }
        return fileMatch(rules, e, p);
    }

    private Match execMatch(PolicySet set, SyscallEvent e, ProcessTable.Process p) {
        if (e.pathLength() == 0) {
            return null;
        }
        if (!set.hasRules(Operation.PROCESS)) {
            return null;
        }
        Match m = set.process(file(set, e.path(), e.pathLength(), p, false));
        if (isBlock(m)) {
            return m;
        }
        // The binary the kernel will run: /bin/id on a merged-/usr system is /usr/bin/id.
        int n = e.canonicalPath();
        return n > 0 && !same(e.path(), e.pathLength(), e.canonical(), n)
                ? stronger(m, set.process(file(set, e.canonical(), n, p, false))) : m;
    }

    private Match fileMatch(LiveRules rules, SyscallEvent e, ProcessTable.Process p) {
        PolicySet set = rules.set();
        if (!set.hasRules(Operation.FILE)) {
            return null;
        }
        boolean writes = e.writes() || e.syscall().family() != Family.OPEN;
        Match first = e.pathLength() > 0 ? set.file(file(set, e.path(), e.pathLength(), p, writes)) : null;
        // A read-only open by a task that shares nothing is checked again at its exit on the descriptor
        // itself, which sees through every link, and revoked there. Anything that may change the file, and
        // any open by a task sharing its descriptors or memory (another task could use the descriptor
        // before a revocation), is resolved now, before the kernel acts.
        boolean checkedAtExit = e.syscall().family() == Family.OPEN && !writes && !e.shared();
        if (!isBlock(first) && e.pathLength() > 0 && !checkedAtExit) {
            // The file the kernel will reach, through symlinks and /proc/self/{fd,root,cwd} links.
            int n = e.canonicalPath();
            if (n > 0 && !same(e.path(), e.pathLength(), e.canonical(), n)) {
                first = stronger(first, set.file(file(set, e.canonical(), n, p, writes)));
            }
            if (!isBlock(first) && e.shared() && !rules.inodes().isEmpty() && n > 0
                    && proc.statPath(e.canonical(), n) == 0 && proc.nlink() > 1) {
                byte[] named = rules.inodes().pathOf(proc.dev(), proc.ino());
                if (named != null) {
                    first = stronger(first, set.file(file(set, named, named.length, p, writes)));
                }
            }
        }
        if (!isBlock(first) && e.pathLength() > 0 && isRename(e)) {
            // Renaming a directory gives every file inside it a new name: a protected one among them makes it
            // a write to that file.
            String inside = rules.targets().inside(e.path(), e.pathLength());
            if (inside != null) {
                byte[] b = inside.getBytes(StandardCharsets.UTF_8);
                first = stronger(first, set.file(file(set, b, b.length, p, true)));
            }
        }
        if (e.path2Length() == 0 || isBlock(first)) {
            return first;
        }
        Match second = set.file(file(set, e.path2(), e.path2Length(), p, true));
        return stronger(first, second);
    }

    private static boolean isRename(SyscallEvent e) {
        int nr = e.syscall().nr();
        return nr == 82 || nr == 264 || nr == 316;
    }

    private static boolean isBlock(Match m) {
        return m != null && m.action() == Action.BLOCK;
    }

    private static boolean same(byte[] a, int aLen, byte[] b, int bLen) {
        return java.util.Arrays.equals(a, 0, aLen, b, 0, bLen);
    }

    private static Match stronger(Match a, Match b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return rank(b.action()) > rank(a.action()) ? b : a;
    }

    private static int rank(Action a) {
        return switch (a) {
            case BLOCK -> 2;
            case AUDIT -> 1;
            case ALLOW -> 0;
        };
    }

    /** The capability each trapped syscall needs, by number (null: none Ward attributes). */
    private static final Capability[] CAPABILITY_BY_NR = new Capability[512];

    static {
        for (dev.ward.capture.Syscall s : dev.ward.capture.SyscallTable.trapped()) {
            CAPABILITY_BY_NR[s.nr()] = Capability.forSyscall(s.name());
        }
    }

    private Match capabilityMatch(PolicySet set, SyscallEvent e, ProcessTable.Process p) {
        Capability c = CAPABILITY_BY_NR[e.syscall().nr()];
        if (c == null || !set.hasRules(Operation.CAPABILITIES)) {
            return null;
        }
        CapabilityRequest r = capabilityRequest;
        r.capability = c.number();
        copySource(p, r.source);
        r.sourceLength = p == null ? 0 : p.exe().length;
        return set.capability(r);
    }

    /** syscalls rules (audit only): by the syscall's name and, where it has one, its path. */
    private Match syscallMatch(PolicySet set, SyscallEvent e, ProcessTable.Process p) {
        SyscallRequest r = syscallRequest;
        r.name = e.syscall().name();
        int n = e.pathLength();
        System.arraycopy(e.path(), 0, r.path, 0, n);
        r.pathLength = n;
        copySource(p, r.source);
        r.sourceLength = p == null ? 0 : p.exe().length;
        return set.syscall(r);
    }

    private Match networkMatch(PolicySet set, SyscallEvent e, ProcessTable.Process p) {
        if (e.syscall().nr() != 41) { // rules apply to socket(); connect/bind/accept are logged
            return null;
        }
        NetworkRequest r = networkRequest;
        r.family = (int) e.arg(0);
        r.type = (int) e.arg(1) & 0xf;
        r.protocol = (int) e.arg(2);
        copySource(p, r.source);
        r.sourceLength = p == null ? 0 : p.exe().length;
        Match m = set.network(r);
        if (!isBlock(m) && (r.type == 3 || r.family == 17) && set.hasRules(Operation.CAPABILITIES)) {
            // A raw or packet socket is what CAP_NET_RAW guards.
            CapabilityRequest c = capabilityRequest;
            c.capability = Capability.NET_RAW.number();
            System.arraycopy(r.source, 0, c.source, 0, r.sourceLength);
            c.sourceLength = r.sourceLength;
            Match cm = set.capability(c);
            if (cm != null) {
                m = stronger(m, cm);
            }
        }
        return m;
    }

    private FileRequest file(PolicySet set, byte[] path, int length, ProcessTable.Process p, boolean writes) {
        FileRequest r = fileRequest;
        System.arraycopy(path, 0, r.path, 0, length);
        r.pathLength = length;
        copySource(p, r.source);
        r.sourceLength = p == null ? 0 : p.exe().length;
        r.write = writes;
        r.uid = p == null ? -1 : p.uid();
        r.ownerUid = set.needsOwner() ? owner(path, length) : -1;
        return r;
    }

    /** The owner of {@code path}, or of its directory when it does not exist yet (a create); -1 unknown. */
    private int owner(byte[] path, int length) {
        int uid = proc.ownerUid(path, length);
        if (uid != -Errno.ENOENT) {
            return Math.max(uid, -1);
        }
        int slash = length - 1;
        while (slash > 0 && path[slash] != '/') {
            slash--;
        }
        return Math.max(proc.ownerUid(path, Math.max(slash, 1)), -1);
    }

    private static void copySource(ProcessTable.Process p, byte[] into) {
        if (p != null) {
            System.arraycopy(p.exe(), 0, into, 0, p.exe().length);
        }
    }

    @Override
    public boolean onSyscallExit(int tid, int tgid, long result) {
        Pending slot = pending.get(tid);
        if (slot == null || !slot.active) {
            return true;
        }
        slot.active = false;
        Telemetry report = slot.report;
        slot.report = null;
        if (slot.verify && result >= 0 && !verifyOpened(tid, tgid, (int) result, slot.writes, slot.shared,
                report != null && report.isAlert())) {
            return false;
        }
        if (report != null) {
            report.result = result >= 0 ? "Passed" : Errno.message((int) -result);
            exporter.offer(report);
        }
        return true;
    }

    /**
     * The check after the kernel resolved the path: the descriptor's own path, as /proc shows it.
     * Returns false (and reports) when a rule blocks that file.
     */
    private boolean verifyOpened(int tid, int tgid, int fd, boolean writes, boolean shared, boolean alreadyAlerted) {
        int n = proc.fdPath(tid, fd, fdPath);
        if (n <= 0 || fdPath[0] != '/') {
            return true; // gone, or not a path (pipe, socket, anon inode)
        }
        ProcessTable.Process p = processes.get(tgid);
        LiveRules rules = policies.get();
        PolicySet set = rules.set();
        Match m = set.file(file(set, fdPath, n, p, writes));
        if (!isBlock(m) && !rules.inodes().isEmpty() && proc.statFd(tid, fd) == 0 && proc.nlink() > 1) {
            // Another name for a file a rule names (a hard link): decide it as that file.
            byte[] named = rules.inodes().pathOf(proc.dev(), proc.ino());
            if (named != null) {
                m = stronger(m, set.file(file(set, named, named.length, p, writes)));
                n = named.length;
                System.arraycopy(named, 0, fdPath, 0, n);
            }
        }
        if (m == null || m.action() == Action.ALLOW) {
            return true;
        }
        boolean block = m.action() == Action.BLOCK;
        // An Audit rule the entry check could not see (the name given led elsewhere) is reported here.
        if (filter.alerts() && (block || !alreadyAlerted)) {
            Telemetry t = buildFor(tid, tgid, p, m);
            t.operation = "File";
            t.resource = new String(fdPath, 0, n, StandardCharsets.UTF_8);
            t.data = "syscall=SYS_OPENAT fd=" + fd + " verified=exit";
            t.result = !block ? "Passed" : shared ? Errno.message(Errno.EACCES)
                    + " (process killed: another task shared the descriptor)" : Errno.message(Errno.EACCES);
            exporter.offer(t);
        }
        return !block;
    }

    @Override
    public void onSpawn(int parentTid, int parentTgid, int childTid, boolean thread) {
        if (!thread) {
            known(parentTgid);
            processes.fork(parentTgid, childTid);
        }
    }

    @Override
    public boolean onExec(int tid, int formerTid) {
        if (formerTid != tid) {
            pending.remove(formerTid);
        }
        int n = proc.exe(tid, exeBuffer);
        if (n <= 0) {
            return true;
        }
        ProcessTable.Process p = known(tid);
        LiveRules rules = policies.get();
        PolicySet set = rules.set();
        if (set.hasRules(Operation.PROCESS)) {
            // The binary the kernel actually loaded, decided with the caller's image as the source, by its
            // path and by its inode (another name for it: a hard link, a bind mount, another namespace).
            String binary = new String(exeBuffer, 0, n, StandardCharsets.UTF_8);
            Match m = processMatch(rules, exeBuffer, n, p, proc.statExe(tid) == 0);
            String data = "syscall=SYS_EXECVE verified=exec";
            if (!isBlock(m) && Loader.isLoader(exeBuffer, n)) {
                // The loader runs its program argument: decide that program as the one executed.
                String program = Loader.program(Loader.argv(tid));
                if (program != null) {
                    byte[] resolved = resolveForExec(tid, program);
                    Match pm = processMatch(rules, resolved, resolved.length, p,
                            proc.statPath(resolved, resolved.length) == 0);
                    if (isBlock(pm)) {
                        m = pm;
                        data += " loader=" + binary;
                        binary = new String(resolved, StandardCharsets.UTF_8);
                    }
                }
            }
            if (m != null && m.action() == Action.BLOCK) {
                if (filter.alerts()) {
                    Telemetry t = buildFor(tid, tid, p, m);
                    t.operation = "Process";
                    t.parentProcessName = t.processName; // KubeArmor: the binary run, and its caller as parent
                    t.processName = binary;
                    t.resource = binary;
                    t.data = data;
                    t.result = "Permission denied (killed before its first instruction)";
                    exporter.offer(t);
                }
                return false;
            }
        }
        processes.exec(tid, exeBuffer, n);
        processes.setUid(tid, uid(tid)); // setuid before exec (su, setpriv, gosu) shows here; ownerOnly needs it
        return true;
    }

    /** A process rule's decision on {@code path}, and on the rule path of the same inode when {@code statted}. */
    private Match processMatch(LiveRules rules, byte[] path, int n, ProcessTable.Process p, boolean statted) {
        PolicySet set = rules.set();
        Match m = set.process(file(set, path, n, p, false));
        if (!isBlock(m) && statted && !rules.inodes().isEmpty()) {
            byte[] named = rules.inodes().pathOf(proc.dev(), proc.ino());
            if (named != null) {
                m = stronger(m, set.process(file(set, named, named.length, p, false)));
            }
        }
        return m;
    }

    /** A loader's program argument made absolute against the process's cwd, with symlinks resolved. */
    private byte[] resolveForExec(int tid, String program) {
        String abs = program;
        if (!program.startsWith("/")) {
            String cwd = cwd(tid);
            abs = cwd.endsWith("/") ? cwd + program : cwd + "/" + program;
        }
        byte[] raw = abs.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[ProcFs.PATH_MAX];
        int r = proc.realpath(raw, raw.length, out);
        return r > 0 ? java.util.Arrays.copyOf(out, r) : raw;
    }

    @Override
    public void onExit(int tid, int tgid, int status) {
        pending.remove(tid);
        if (tid == tgid) {
            processes.exit(tid);
        }
    }

    private void report(SyscallEvent e, ProcessTable.Process p, Match m, String result) {
        Telemetry t = build(e, p, m);
        t.result = result;
        exporter.offer(t);
    }

    @Override
    public void onRevocationRefused(int tid, int tgid, long result) {
        Telemetry t = buildFor(tid, tgid, processes.get(tgid), SelfProtection.REVOCATION_REFUSED);
        t.operation = "File";
        t.resource = "";
        t.data = "syscall=SYS_CLOSE result=" + result;
        t.result = "Permission denied (process killed)";
        exporter.offer(t);
    }

    /** Builds the report for {@code e} (cold path: allocates). A null match makes it a log. */
    private Telemetry build(SyscallEvent e, ProcessTable.Process p, Match m) {
        Telemetry t = buildFor(e.tid(), e.tgid(), p, m);
        describe(e, t, m);
        return t;
    }

    /** The report fields every event has: who, where, and the rule's. */
    private Telemetry buildFor(int tid, int tgid, ProcessTable.Process p, Match m) {
        Telemetry t = new Telemetry();
        Instant now = Instant.now();
        t.timestampNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        t.hostName = identity.hostName();
        t.containerName = identity.containerName();
        t.labels = labels;
        t.pid = tgid;
        t.tid = tid;
        t.ppid = p == null ? 0 : p.ppid();
        t.uid = uid(tgid);
        t.processName = p == null ? "" : p.exeString();
        ProcessTable.Process parent = p == null ? null : processes.get(p.ppid());
        t.parentProcessName = parent != null ? parent.exeString() : p != null && p.ppid() == agentPid ? agentExe : "";
        t.source = t.processName;
        t.enforcer = ENFORCER;
        t.cwd = cwd(tid);
        if (m == null) {
            t.type = Telemetry.TYPE_LOG;
            t.action = "Allow";
        } else {
            t.type = Telemetry.TYPE_ALERT;
            t.policyName = m.policyName();
            t.severity = m.severity() > 0 ? Integer.toString(m.severity()) : "";
            t.tags = String.join(",", m.tags());
            t.atags = m.tags();
            t.message = m.message();
            t.action = m.action().displayName();
        }
        return t;
    }

    private void describe(SyscallEvent e, Telemetry t, Match m) {
        String sys = "syscall=" + e.syscall().kubeArmorName();
        switch (e.syscall().family()) {
            case EXEC -> {
                t.operation = "Process";
                List<String> argv = e.readArgv(64);
                String path = reached(e);
                if (m != null) { // KubeArmor names the binary being run, and its caller as the parent
                    t.parentProcessName = t.processName;
                    t.processName = path;
                }
                t.resource = argv.size() > 1 ? path + " " + String.join(" ", argv.subList(1, argv.size())) : path;
                t.data = sys + requested(e, path);
            }
            case OPEN, FILE_MODIFY -> {
                t.operation = "File";
                String path = e.pathLength() > 0 ? reached(e) : "";
                t.resource = e.path2Length() > 0 && e.pathLength() > 0 ? path + " -> " + e.path2String()
                        : e.pathLength() > 0 ? path : e.path2String();
                long dirfd = e.syscall().dirfdArg() >= 0 ? (int) e.arg(e.syscall().dirfdArg()) : -100;
                t.data = (e.syscall().flagsArg() >= 0 || e.syscall().nr() == 437
                        ? sys + " fd=" + dirfd + " flags=" + Describe.openFlags(e.flags())
                        : sys) + (e.pathLength() > 0 ? requested(e, path) : "");
            }
            case NETWORK -> {
                if (m != null && m.operation() == Operation.CAPABILITIES) {
                    t.operation = "Capabilities";
                    t.resource = "CAP_NET_RAW";
                    t.data = sys + " domain=" + Describe.family((int) e.arg(0)) + " type="
                            + Describe.socketType((int) e.arg(1));
                    return;
                }
                t.operation = "Network";
                if (e.syscall().nr() == 41) {
                    t.resource = "domain=" + Describe.family((int) e.arg(0)) + " type="
                            + Describe.socketType((int) e.arg(1)) + " protocol=" + e.arg(2);
                    t.data = sys;
                } else {
                    t.resource = Describe.sockaddr(e);
                    t.data = sys + " fd=" + e.arg(0);
                }
            }
            case PRIVILEGED, MOUNT -> {
                Capability c = CAPABILITY_BY_NR[e.syscall().nr()];
                boolean syscallRule = m != null && m.operation() == Operation.SYSCALL;
                if (m != null && m.operation() == Operation.FILE) { // chown of a file a rule protects
                    t.operation = "File";
                    t.resource = e.pathLength() > 0 ? reached(e) : "";
                    t.data = sys;
                    return;
                }
                t.operation = syscallRule || c == null ? "Syscall" : "Capabilities";
                t.resource = syscallRule || c == null ? (e.pathLength() > 0 ? e.pathString() : e.syscall().name())
                        : "CAP_" + c.name();
                t.data = sys;
            }
            case TAKEOVER -> {
                int nr = e.syscall().nr();
                t.operation = "Syscall";
                t.resource = nr == dev.ward.capture.SyscallTable.NR_SECCOMP ? "seccomp filter with a listener"
                        : nr == dev.ward.capture.SyscallTable.NR_CLONE ? "clone flags=0x" + Long.toHexString(e.arg(0))
                                + " (CLONE_UNTRACED)"
                        : nr == 438 ? "pidfd=" + e.arg(0) + " fd=" + e.arg(1)
                        : "pid=" + (int) e.arg(nr == 101 ? 1 : 0);
                t.data = sys + (nr == 101 ? " request=" + e.arg(0) : nr == 317 ? " flags=" + e.arg(1) : "");
            }
        }
    }

    /** The file the call reaches: the path with symlinks resolved when that differs from the name given. */
    private static String reached(SyscallEvent e) {
        int n = e.canonicalPath();
        return n > 0 ? new String(e.canonical(), 0, n, StandardCharsets.UTF_8) : e.pathString();
    }

    /** " path=NAME" when the caller named the file differently from where it leads. */
    private static String requested(SyscallEvent e, String reached) {
        String given = e.pathString();
        return given.equals(reached) ? "" : " path=" + given;
    }

    private String cwd(int tid) {
        int n = proc.cwd(tid, exeBuffer);
        return n > 0 ? new String(exeBuffer, 0, n, StandardCharsets.UTF_8) : "";
    }

    /** The process's real uid, from /proc (it may have changed since exec with setuid()). */
    private static int uid(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
