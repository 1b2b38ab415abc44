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
    static final String SELF_PROTECTION = "ward-self-protection";

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

    /** Names the agent, whose image the workload's first process runs until its execve. */
    void agent(int pid, String exe, int uid) {
        this.agentPid = pid;
        this.agentExe = exe;
        this.agentUid = uid;
    }

    @Override
    public boolean wants(dev.ward.capture.Syscall s) {
        if (filter.logs() && visibility.covers(s.family()) || s.family() == Family.TAKEOVER) {
            return true;
        }
        PolicySet set = policies.get().set();
        if (set.hasRules(Operation.SYSCALL)) {
            return true;
        }
        return switch (s.family()) {
            case EXEC -> set.hasRules(Operation.PROCESS);
            case OPEN, FILE_MODIFY -> set.hasRules(Operation.FILE);
            case NETWORK -> set.hasRules(Operation.NETWORK) || set.hasRules(Operation.CAPABILITIES);
            case PRIVILEGED -> set.hasRules(Operation.CAPABILITIES);
            case TAKEOVER -> true;
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
        PolicySet set = policies.get().set();
        Match m = switch (e.syscall().family()) {
            case EXEC -> execMatch(set, e, p);
            case OPEN, FILE_MODIFY -> fileMatch(set, e, p);
            case NETWORK -> networkMatch(set, e, p);
            case TAKEOVER -> null;
            case PRIVILEGED -> capabilityMatch(set, e, p);
        };
        if (!isBlock(m) && set.hasRules(Operation.SYSCALL)) {
            m = stronger(m, syscallMatch(set, e, p));
        }
        if (e.syscall().family() == Family.TAKEOVER) {
            report(e, p, null, "Permission denied", true);
            return Verdict.DENY;
        }
        // Opens are decided again at their exit, on the file the kernel actually reached: that closes
        // races (another thread rewriting the path, a symlink swapped after the check).
        boolean verify = e.syscall().family() == Family.OPEN && set.hasRules(Operation.FILE);
        if (m != null && m.action() == Action.BLOCK) {
            if (filter.alerts()) {
                report(e, p, m, Errno.message(Errno.EACCES), false);
            }
            return Verdict.DENY;
        }
        Telemetry report = null;
        if (m != null && m.action() == Action.AUDIT) {
            report = filter.alerts() ? build(e, p, m) : null;
        } else if (filter.logs() && visibility.covers(e.syscall().family())) {
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
        slot.report = report;
        return Verdict.ALLOW_AND_REPORT_EXIT;
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

    private Match fileMatch(PolicySet set, SyscallEvent e, ProcessTable.Process p) {
        if (!set.hasRules(Operation.FILE)) {
            return null;
        }
        boolean writes = e.writes();
        Match first = e.pathLength() > 0 ? set.file(file(set, e.path(), e.pathLength(), p, writes)) : null;
        // A read-only open is checked again at its exit on the descriptor itself, which sees through
        // every link; anything that may change the file is resolved now, before the kernel acts.
        boolean checkedAtExit = e.syscall().family() == Family.OPEN && !writes;
        if (!isBlock(first) && e.pathLength() > 0 && !checkedAtExit) {
            // The file the kernel will reach, through symlinks and /proc/self/{fd,root,cwd} links.
            int n = e.canonicalPath();
            if (n > 0 && !same(e.path(), e.pathLength(), e.canonical(), n)) {
                first = stronger(first, set.file(file(set, e.canonical(), n, p, writes)));
            }
        }
        if (e.path2Length() == 0 || isBlock(first)) {
            return first;
        }
        Match second = set.file(file(set, e.path2(), e.path2Length(), p, true));
        return stronger(first, second);
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
        if (slot.verify && result >= 0
                && !verifyOpened(tid, tgid, (int) result, slot.writes, report != null && report.isAlert())) {
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
    private boolean verifyOpened(int tid, int tgid, int fd, boolean writes, boolean alreadyAlerted) {
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
            t.result = block ? Errno.message(Errno.EACCES) : "Passed";
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
            // The binary the kernel actually loaded, decided with the caller's image as the source.
            Match m = set.process(file(set, exeBuffer, n, p, false));
            if (!isBlock(m) && !rules.inodes().isEmpty() && proc.statExe(tid) == 0 && proc.nlink() > 1) {
                byte[] named = rules.inodes().pathOf(proc.dev(), proc.ino());
                if (named != null) {
                    m = stronger(m, set.process(file(set, named, named.length, p, false)));
                }
            }
            if (m != null && m.action() == Action.BLOCK) {
                if (filter.alerts()) {
                    Telemetry t = buildFor(tid, tid, p, m);
                    t.operation = "Process";
                    t.resource = new String(exeBuffer, 0, n, StandardCharsets.UTF_8);
                    t.data = "syscall=SYS_EXECVE verified=exec";
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

    @Override
    public void onExit(int tid, int tgid, int status) {
        pending.remove(tid);
        if (tid == tgid) {
            processes.exit(tid);
        }
    }

    private void report(SyscallEvent e, ProcessTable.Process p, Match m, String result, boolean selfProtection) {
        Telemetry t = build(e, p, m);
        if (selfProtection) {
            t.type = Telemetry.TYPE_ALERT;
            t.policyName = SELF_PROTECTION;
            t.severity = "10";
            t.message = "a workload process tried to take over another process (the agent included)";
            t.action = "Block";
        }
        t.result = result;
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
            case PRIVILEGED -> {
                Capability c = CAPABILITY_BY_NR[e.syscall().nr()];
                boolean syscallRule = m == null ? false : m.operation() == Operation.SYSCALL;
                t.operation = syscallRule || c == null ? "Syscall" : "Capabilities";
                t.resource = syscallRule || c == null ? (e.pathLength() > 0 ? e.pathString() : e.syscall().name())
                        : "CAP_" + c.name();
                t.data = sys;
            }
            case TAKEOVER -> {
                t.operation = "Syscall";
                t.resource = "pid=" + (int) e.arg(e.syscall().nr() == 101 ? 1 : 0);
                t.data = sys + (e.syscall().nr() == 101 ? " request=" + e.arg(0) : "");
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
