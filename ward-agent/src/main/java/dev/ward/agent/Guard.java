package dev.ward.agent;

import dev.ward.agent.output.Exporter;
import dev.ward.api.Identity;
import dev.ward.api.LogFilter;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.bindings.Errno;
import dev.ward.bindings.ProcFs;
import dev.ward.capture.Family;
import dev.ward.capture.ProcessFacts;
import dev.ward.capture.StartupClock;
import dev.ward.capture.SyscallEvent;
import dev.ward.capture.Volumes;
import dev.ward.capture.TraceListener;
import dev.ward.capture.Verdict;
import dev.ward.policy.Action;
import dev.ward.policy.Match;
import dev.ward.policy.Operation;
import dev.ward.policy.PolicySet;
import dev.ward.state.IntMap;
import dev.ward.state.ProcessTable;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tracer's listener: for every trapped syscall, looks up the process, refuses what reaches the agent
 * ({@link SelfProtection}), asks the {@link Decider} for a match, answers the tracer, verifies opens at their
 * exit and execs at their exec event, and hands what is to be reported to {@link Reports} and the exporter.
 * Runs on the tracer thread only.
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
    private final LogFilter filter;
    private final OperationSet visibility;
    private final Decider decider = new Decider();
    private final Reports reports;
    private LiveRules neededFor;
    private OperationSet needed;
    private final ProcFs proc = new ProcFs();
    private final byte[] exeBuffer = new byte[ProcFs.PATH_MAX];
    private final IntMap<PendingExit> pending = new IntMap<>(64);
    private final byte[] fdPath = new byte[ProcFs.PATH_MAX];

    Guard(AtomicReference<LiveRules> policies, Exporter exporter, Identity identity, LogFilter filter) {
        this(policies, exporter, WorkloadWatch.fixed(identity), filter, OperationSet.ALL);
    }

    Guard(AtomicReference<LiveRules> policies, Exporter exporter, WorkloadWatch workload, LogFilter filter,
            OperationSet visibility) {
        this.visibility = visibility;
        this.policies = policies;
        this.exporter = exporter;
        this.filter = filter;
        this.reports = new Reports(workload, processes);
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
        reports.agent(pid, exe);
    }

    /**
     * Whether a trapped call is worth decoding: always for the self-protection families, the agent's files'
     * families when it has any, else exactly what the live policies and the requested logs need
     * ({@link OperationSet#needed}, the rule the filter is chosen and widened by), recomputed when they change.
     */
    @Override
    public boolean wants(dev.ward.capture.Syscall s) {
        Family f = s.family();
        if (f == Family.TAKEOVER || f == Family.MOUNT
                || (f == Family.OPEN || f == Family.FILE_MODIFY) && !self.isEmpty()) {
            return true;
        }
        LiveRules rules = policies.get();
        if (rules != neededFor) {
            needed = OperationSet.needed(rules.set(), filter, visibility); // on a policy change only
            neededFor = rules;
        }
        return needed.covers(f);
    }

    @Override
    public void tracing(ProcessFacts facts) {
        reports.facts(facts);
        decider.facts(facts);
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
        if (self.reachedBy(e, workload)) {
            report(e, p, SelfProtection.AGENT, Errno.message(Errno.EACCES));
            return Verdict.DENY;
        }
        LiveRules rules = policies.get();
        PolicySet set = rules.set();
        Match m = switch (family) {
            case EXEC -> decider.execMatch(set, e, p);
            case OPEN, FILE_MODIFY -> decider.fileMatch(rules, e, p);
            case NETWORK -> decider.networkMatch(set, e, p);
            case PRIVILEGED -> Decider.stronger(decider.capabilityMatch(set, e, p), decider.ownerChangeMatch(rules, e, p));
            case MOUNT -> decider.mountMatch(set, e, p);
            case TAKEOVER, MESH, MESH_INBOUND, CWD_UID -> null;
        };
        if (!Decider.isBlock(m) && set.hasRules(Operation.SYSCALL)) {
            m = Decider.stronger(m, decider.syscallMatch(set, e, p));
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
            report = filter.alerts() ? reports.build(e, p, m) : null;
        } else if (filter.logs() && visibility.covers(family)) {
            report = reports.build(e, p, null);
        }
        if (report == null && !verify) {
            return Verdict.ALLOW;
        }
        PendingExit slot = pending.get(e.tid());
        if (slot == null) {
            slot = new PendingExit();
            pending.put(e.tid(), slot);
        }
        slot.active = true;
        slot.verify = verify;
        slot.writes = e.writes();
        slot.shared = e.shared();
        slot.syscall = e.syscall();
        slot.report = report;
        // Nothing to report and a file the kernel cannot reach by another way: no exit stop (or one, as fallback).
        return report == null && decider.finalAtEntry(rules, e, p, Volumes.instance()) ? Verdict.ALLOW_FINAL
                : Verdict.ALLOW_AND_REPORT_EXIT;
    }

    /** A takeover call (see {@link SelfProtection#refuses}): refused and reported, or let through. */
    private Verdict takeover(SyscallEvent e, ProcessTable.Process p) {
        if (!SelfProtection.refuses(e)) {
            return Verdict.ALLOW;
        }
        report(e, p, SelfProtection.TAKEOVER, "Permission denied");
        return Verdict.DENY;
    }

    private final java.util.function.IntPredicate workload = this::isWorkload; // made once: no allocation per event

    private boolean isWorkload(int pid) {
        return processes.get(pid) != null;
    }

    @Override
    public boolean onSyscallExit(int tid, int tgid, long result) {
        PendingExit slot = pending.get(tid);
        if (slot == null || !slot.active) {
            return true;
        }
        slot.active = false;
        Telemetry report = slot.report;
        slot.report = null;
        if (slot.verify && result >= 0 && !verifyOpened(tid, tgid, (int) result, slot,
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
    private boolean verifyOpened(int tid, int tgid, int fd, PendingExit slot, boolean alreadyAlerted) {
        int n = proc.fdPath(tid, fd, fdPath);
        if (n <= 0 || fdPath[0] != '/') {
            return true; // gone, or not a path (pipe, socket, anon inode)
        }
        ProcessTable.Process p = processes.get(tgid);
        LiveRules rules = policies.get();
        PolicySet set = rules.set();
        Match m = set.file(decider.file(set, fdPath, n, p, slot.writes));
        if (!Decider.isBlock(m) && !rules.inodes().isEmpty() && proc.statFd(tid, fd) == 0 && proc.nlink() > 1) {
            // Another name for a file a rule names (a hard link): decide it as that file.
            byte[] named = rules.inodes().pathOf(proc.dev(), proc.ino());
            if (named != null) {
                m = Decider.stronger(m, set.file(decider.file(set, named, named.length, p, slot.writes)));
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
            Telemetry t = reports.buildFor(tid, tgid, p, m);
            t.operation = "File";
            t.resource = new String(fdPath, 0, n, StandardCharsets.UTF_8);
            t.data = "syscall=" + slot.syscall.kubeArmorName() + " fd=" + fd + " verified=exit";
            t.result = !block ? "Passed" : slot.shared ? Errno.message(Errno.EACCES)
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

    private boolean agentHidden;

    /**
     * Makes the agent not dumpable (out of the workload's reach through /proc, process_vm_readv, pidfd_getfd)
     * at the workload's first exec, before its first instruction. Not earlier: until then the first process
     * shares the agent's memory (vfork), and a tracer without CAP_SYS_PTRACE could not seize or read it.
     */
    private void hideAgent() {
        if (!agentHidden) {
            agentHidden = true;
            dev.ward.bindings.Seccomp.setNotDumpable();
        }
    }

    @Override
    public boolean onExec(int tid, int formerTid) {
        hideAgent();
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
            Match m = decider.processMatch(rules, exeBuffer, n, p, tid);
            String data = "syscall=SYS_EXECVE verified=exec";
            if (!Decider.isBlock(m) && Loader.isLoader(exeBuffer, n)) {
                // The loader runs its program argument: decide that program as the one executed.
                String program = Loader.program(Loader.argv(tid));
                if (program != null) {
                    byte[] resolved = Loader.resolve(proc, reports.cwd(tid), program);
                    Match pm = decider.processMatch(rules, resolved, resolved.length, p, 0);
                    if (Decider.isBlock(pm)) {
                        m = pm;
                        data += " loader=" + binary;
                        binary = new String(resolved, StandardCharsets.UTF_8);
                    }
                }
            }
            if (m != null && m.action() == Action.BLOCK) {
                if (filter.alerts()) {
                    Telemetry t = reports.buildFor(tid, tid, p, m);
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
        processes.setUid(tid, reports.uid(tid)); // setuid before exec (su, setpriv, gosu) shows here; ownerOnly needs it
        return true;
    }

    @Override
    public void onExit(int tid, int tgid, int status) {
        pending.remove(tid);
        if (tid == tgid) {
            processes.exit(tid);
        }
    }

    private void report(SyscallEvent e, ProcessTable.Process p, Match m, String result) {
        Telemetry t = reports.build(e, p, m);
        t.result = result;
        exporter.offer(t);
    }

    @Override
    public void onRevocationRefused(int tid, int tgid, long result) {
        exporter.offer(reports.revocationRefused(tid, tgid, processes.get(tgid), result));
    }

    @Override
    public void onWideningFailed(int tid, int tgid, String why) {
        exporter.offer(reports.wideningFailed(tid, tgid, processes.get(tgid), why));
    }}
