package dev.ward.agent;

import dev.ward.capture.Family;
import dev.ward.capture.SyscallEvent;
import dev.ward.policy.Action;
import dev.ward.policy.Match;
import dev.ward.policy.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the workload may never touch, whatever the policies say: the agent's own process (its /proc
 * entries: memory, environment with the relay token, descriptors) and the agent's files (its runtime, the
 * policy files it reads, the telemetry file it writes). Decided on the tracer thread before any policy.
 *
 * <p>The kernel already refuses most of the /proc routes: the agent is not dumpable and the workload runs
 * without CAP_SYS_PTRACE (see {@code Spawn}), so ptrace access checks fail. Ward refuses them too, so that
 * the attempt is reported.
 */
final class SelfProtection {
    static final String POLICY = "ward-self-protection";

    /** Reported when the workload reaches for the agent's process or files. */
    static final Match AGENT = Match.builtIn(Action.BLOCK, POLICY, 10,
            "a workload process reached for the Ward agent (its memory, descriptors, files or policies)",
            Operation.FILE);
    /** Reported for a call that takes over or looks into another process, or leaves the tracer. */
    static final Match TAKEOVER = Match.builtIn(Action.BLOCK, POLICY, 10,
            "a workload process tried to take over or look into another process, or to leave Ward's supervision",
            Operation.SYSCALL);
    /** Reported for a mount, root or mount-namespace change while file or process rules are in force. */
    static final Match FILE_VIEW = Match.builtIn(Action.BLOCK, POLICY, 10,
            "a mount, root or namespace change would give protected files another path; refused while file or"
                    + " process rules are in force", Operation.SYSCALL);
    /** Reported when a descriptor Ward revoked was not given up: the process was killed. */
    static final Match REVOCATION_REFUSED = Match.builtIn(Action.BLOCK, POLICY, 10,
            "the workload refused to give up a descriptor Ward revoked; its process was killed", Operation.FILE);

    /** Reported when a newer policy's operations could not be added to a running thread's filter. */
    static final Match WIDENING_FAILED = Match.builtIn(Action.AUDIT, POLICY, 5,
            "rules that arrived after this thread started do not apply to it: its seccomp filter could not be"
                    + " widened", Operation.SYSCALL);

    /** /proc/PID entries anyone may read, the agent's included (what ps and top read). */
    private static final List<String> HARMLESS = List.of("", "stat", "status", "statm", "cmdline", "comm", "task");

    private final int agentPid;
    private final PathSet files;

    SelfProtection(int agentPid, PathSet files) {
        this.agentPid = agentPid;
        this.files = files;
    }

    /**
     * The agent's files: its Java runtime, its own directory when it runs from a bundle, the policy files or
     * directories, and the telemetry output.
     */
    static SelfProtection of(int agentPid, List<Path> policyPaths, Path output) {
        List<String> paths = new ArrayList<>();
        paths.add(dir(Path.of(System.getProperty("java.home"))));
        String home = System.getProperty("ward.home");
        if (home != null && !home.isBlank()) {
            paths.add(dir(Path.of(home)));
        }
        for (Path p : policyPaths) {
            paths.add(Files.isDirectory(p) ? dir(p) : real(p));
        }
        if (output != null) {
            paths.add(real(output));
        }
        return new SelfProtection(agentPid, PathSet.of(paths));
    }

    private static String real(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (java.io.IOException e) {
            return p.toAbsolutePath().normalize().toString();
        }
    }

    private static String dir(Path p) {
        String s = real(p);
        return s.endsWith("/") ? s : s + "/";
    }

    /**
     * Whether a call of the TAKEOVER family is refused. ptrace, process_vm_readv/writev, pidfd_getfd and clone
     * with CLONE_UNTRACED (the filter stops no other clone): always. seccomp: only for a filter with a listener,
     * whose notifier would outrank Ward's trace and could let calls run unseen; any other filter of the
     * workload's own only refuses more.
     */
    static boolean refuses(SyscallEvent e) {
        return e.syscall().nr() != dev.ward.capture.SyscallTable.NR_SECCOMP
                || e.arg(0) == SECCOMP_SET_MODE_FILTER && (e.arg(1) & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0;
    }

    private static final long SECCOMP_SET_MODE_FILTER = 1;
    private static final long SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;

    boolean isEmpty() {
        return agentPid < 0 && files.isEmpty();
    }

    /**
     * Whether this call reaches the agent: a path under its /proc entries (or another process's memory), or a
     * write to one of its files, by the name given or the file it leads to.
     */
    boolean reachedBy(SyscallEvent e, java.util.function.IntPredicate workload) {
        boolean writes = e.writes() || e.syscall().family() == Family.FILE_MODIFY;
        if (e.pathLength() > 0 && reachesAgent(e.path(), e.pathLength(), writes, e.tgid(), workload)) {
            return true;
        }
        if (!writes) {
            return false;
        }
        if (e.pathLength() > 0 && (protectsFile(e.path(), e.pathLength())
                || e.syscall().family() == Family.FILE_MODIFY && fileInside(e.path(), e.pathLength()) != null)) {
            return true;
        }
        if (e.path2Length() > 0 && protectsFile(e.path2(), e.path2Length())) {
            return true;
        }
        if (e.pathLength() == 0) {
            return false;
        }
        // Through symlinks and /proc/self links: the file the kernel will reach.
        int n = e.canonicalPath();
        return n > 0 && (protectsFile(e.canonical(), n)
                || reachesAgent(e.canonical(), n, true, e.tgid(), workload));
    }

    /** Whether a write to {@code path} (or a new name for it) would change one of the agent's files. */
    boolean protectsFile(byte[] path, int length) {
        return files.covers(path, length);
    }

    /** One of the agent's files inside the directory {@code dir} (renaming it would move that file), or null. */
    String fileInside(byte[] dir, int length) {
        return files.inside(dir, length);
    }

    /**
     * Whether {@code path} is under /proc/N where N is the agent or one of its threads, other than the
     * harmless entries read-only; or is another process's memory (/proc/N/mem, /proc/N/task/M/mem), which
     * is ptrace by another name. {@code caller} is the opening process; {@code workload} answers whether N is
     * a traced workload process (no I/O).
     */
    boolean reachesAgent(byte[] path, int length, boolean writes, int caller,
            java.util.function.IntPredicate workload) {
        if (length < 7 || path[0] != '/' || path[1] != 'p' || path[2] != 'r' || path[3] != 'o' || path[4] != 'c'
                || path[5] != '/' || path[6] < '0' || path[6] > '9') {
            return false; // the hot path: one comparison for almost every open
        }
        int i = 6;
        long n = 0;
        while (i < length && path[i] >= '0' && path[i] <= '9' && n < Integer.MAX_VALUE) {
            n = n * 10 + (path[i++] - '0');
        }
        if (i < length && path[i] != '/') {
            return false;
        }
        int pid = (int) n;
        if (pid != caller && isMemory(path, i + 1, length)) {
            return true;
        }
        if (pid != agentPid && (workload.test(pid) || !agentThread(pid))) {
            return false; // a workload process's own entries: nothing allocated on this path
        }
        String rest = i + 1 < length ? new String(path, i + 1, length - i - 1, java.nio.charset.StandardCharsets.UTF_8)
                : "";
        return writes || !harmless(rest);
    }

    private static final byte[] MEM = {'m', 'e', 'm'};
    private static final byte[] TASK = {'t', 'a', 's', 'k', '/'};

    /** Whether {@code path[from..length)} is {@code mem} or {@code task/TID/mem}: a process's memory. */
    private static boolean isMemory(byte[] path, int from, int length) {
        int n = length - from;
        if (n == MEM.length) {
            return java.util.Arrays.equals(path, from, length, MEM, 0, MEM.length);
        }
        return n > TASK.length + MEM.length && java.util.Arrays.equals(path, from, from + TASK.length, TASK, 0, TASK.length)
                && path[length - MEM.length - 1] == '/'
                && java.util.Arrays.equals(path, length - MEM.length, length, MEM, 0, MEM.length);
    }

    private static boolean harmless(String rest) {
        if (HARMLESS.contains(rest)) {
            return true;
        }
        // task/TID and task/TID/{stat,status,...}
        if (rest.startsWith("task/")) {
            String[] parts = rest.split("/", -1);
            return parts.length == 2 || parts.length == 3 && HARMLESS.contains(parts[2]) && !parts[2].equals("task");
        }
        return false;
    }

    private boolean agentThread(int tid) {
        return Files.exists(Path.of("/proc/" + agentPid + "/task/" + tid));
    }
}
