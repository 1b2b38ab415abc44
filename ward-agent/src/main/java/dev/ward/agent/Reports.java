package dev.ward.agent;

import dev.ward.api.telemetry.Telemetry;
import dev.ward.api.telemetry.Workload;
import dev.ward.capture.ProcessFacts;
import dev.ward.capture.SyscallEvent;
import dev.ward.capture.SyscallTable;
import dev.ward.policy.Capability;
import dev.ward.policy.Match;
import dev.ward.policy.Operation;
import dev.ward.state.ProcessTable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Builds the KubeArmor-shaped report of an event: who (process, parent, ids, cwd), where (host, container,
 * labels), what (Operation, Resource, Data) and the rule's fields. Cold path: called only for events to be
 * reported, and allocates. Runs on the tracer thread only.
 */
final class Reports {
    private final WorkloadWatch workload;
    private final ProcessTable processes;
    private ProcessFacts facts = ProcessFacts.unkept();
    private int agentPid;
    private String agentExe = "";

    Reports(WorkloadWatch workload, ProcessTable processes) {
        this.workload = workload;
        this.processes = processes;
    }

    /** The agent, which is the parent of the workload's first process. */
    void agent(int pid, String exe) {
        this.agentPid = pid;
        this.agentExe = exe;
    }

    /** Where cwds and uids come from: the tracer's, kept while exact. */
    void facts(ProcessFacts facts) {
        this.facts = facts;
    }

    /** Builds the report for {@code e} (cold path: allocates). A null match makes it a log. */
    Telemetry build(SyscallEvent e, ProcessTable.Process p, Match m) {
        Telemetry t = buildFor(e.tid(), e.tgid(), p, m);
        describe(e, t, m);
        return t;
    }

    /** A descriptor Ward revoked was kept (the close it injected failed): the process was killed. */
    Telemetry revocationRefused(int tid, int tgid, ProcessTable.Process p, long result) {
        Telemetry t = buildFor(tid, tgid, p, SelfProtection.REVOCATION_REFUSED);
        t.operation = "File";
        t.resource = "";
        t.data = "syscall=SYS_CLOSE result=" + result;
        t.result = "Permission denied (process killed)";
        return t;
    }

    /** A wider filter could not be stacked onto a thread: the operations it adds are not seen there. */
    Telemetry wideningFailed(int tid, int tgid, ProcessTable.Process p, String why) {
        Telemetry t = buildFor(tid, tgid, p, SelfProtection.WIDENING_FAILED);
        t.operation = "Syscall";
        t.resource = "";
        t.data = "syscall=SYS_SECCOMP";
        t.result = why;
        return t;
    }

    /** The report fields every event has: who, where, and the rule's. */
    Telemetry buildFor(int tid, int tgid, ProcessTable.Process p, Match m) {
        Telemetry t = new Telemetry();
        Instant now = Instant.now();
        t.timestampNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        Workload w = workload.current(); // built once per identity: one reference per event
        t.workload = w;
        t.hostName = w.hostName;
        t.containerName = w.containerName;
        t.labels = w.labels;
        t.pid = tgid;
        t.tid = tid;
        t.ppid = p == null ? 0 : p.ppid();
        t.uid = uid(tgid);
        t.processName = p == null ? "" : p.exeString();
        ProcessTable.Process parent = p == null ? null : processes.get(p.ppid());
        t.parentProcessName = parent != null ? parent.exeString() : p != null && p.ppid() == agentPid ? agentExe : "";
        t.source = t.processName;
        t.enforcer = Guard.ENFORCER;
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
                t.data = (e.syscall().flagsArg() >= 0 || e.syscall().nr() == SyscallTable.NR_OPENAT2
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
                if (e.syscall().nr() == SyscallTable.NR_SOCKET) {
                    t.resource = "domain=" + Describe.family((int) e.arg(0)) + " type="
                            + Describe.socketType((int) e.arg(1)) + " protocol=" + e.arg(2);
                    t.data = sys;
                } else {
                    t.resource = Describe.sockaddr(e);
                    t.data = sys + " fd=" + e.arg(0);
                }
            }
            case PRIVILEGED, MOUNT -> {
                Capability c = Decider.CAPABILITY_BY_NR[e.syscall().nr()];
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
                t.resource = nr == SyscallTable.NR_SECCOMP ? "seccomp filter with a listener"
                        : nr == SyscallTable.NR_CLONE ? "clone flags=0x" + Long.toHexString(e.arg(0))
                                + " (CLONE_UNTRACED)"
                        : nr == SyscallTable.NR_PIDFD_GETFD ? "pidfd=" + e.arg(0) + " fd=" + e.arg(1)
                        : "pid=" + (int) e.arg(nr == SyscallTable.NR_PTRACE ? 1 : 0);
                t.data = sys + (nr == SyscallTable.NR_PTRACE ? " request=" + e.arg(0)
                        : nr == SyscallTable.NR_SECCOMP ? " flags=" + e.arg(1) : "");
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

    String cwd(int tid) {
        return facts.cwd(tid);
    }

    /** The process's real uid, as /proc shows it now (it may have changed since exec with setuid()). */
    int uid(int pid) {
        return facts.uid(pid);
    }
}
