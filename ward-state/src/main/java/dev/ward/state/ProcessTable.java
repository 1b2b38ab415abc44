package dev.ward.state;

import java.nio.charset.StandardCharsets;

/**
 * What Ward knows about each process of the workload: parent, executable, uid. Fed by capture events
 * (spawn, exec, exit) and read when an event is decided or reported.
 *
 * <p>Threading: owned by the tracer thread (all updates and hot-path reads happen there). The
 * executable path is kept as bytes for matching and as a lazily built String for reports.
 */
public final class ProcessTable {
    /** One process (thread group). Mutable, touched only by the owner thread. */
    public static final class Process {
        private final int pid;
        private int ppid;
        private byte[] exe = new byte[0];
        private String exeString = "";
        private int uid = -1;

        Process(int pid, int ppid) {
            this.pid = pid;
            this.ppid = ppid;
        }

        public int pid() {
            return pid;
        }

        public int ppid() {
            return ppid;
        }

        /** Absolute path of the executable image, as bytes. */
        public byte[] exe() {
            return exe;
        }

        public String exeString() {
            return exeString;
        }

        public int uid() {
            return uid;
        }
    }

    private final IntMap<Process> byPid = new IntMap<>(256);

    /** Registers the workload's first process, before its execve. */
    public Process root(int pid, int ppid, String exe, int uid) {
        Process p = new Process(pid, ppid);
        setExe(p, exe.getBytes(StandardCharsets.UTF_8), exe.length());
        p.uid = uid;
        byPid.put(pid, p);
        return p;
    }

    /** {@code parent} forked {@code child}: until it execs, the child runs the parent's image. */
    public Process fork(int parent, int child) {
        Process pp = byPid.get(parent);
        Process c = new Process(child, parent);
        if (pp != null) {
            c.exe = pp.exe;
            c.exeString = pp.exeString;
            c.uid = pp.uid;
        }
        byPid.put(child, c);
        return c;
    }

    /** {@code pid} completed an execve of {@code exe[0..len)}. */
    public Process exec(int pid, byte[] exe, int len) {
        Process p = byPid.get(pid);
        if (p == null) {
            p = new Process(pid, 0);
            byPid.put(pid, p);
        }
        setExe(p, exe, len);
        return p;
    }

    public void setUid(int pid, int uid) {
        Process p = byPid.get(pid);
        if (p != null) {
            p.uid = uid;
        }
    }

    public Process get(int pid) {
        return byPid.get(pid);
    }

    public void exit(int pid) {
        byPid.remove(pid);
    }

    public int size() {
        return byPid.size();
    }

    private static void setExe(Process p, byte[] exe, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(exe, 0, copy, 0, len);
        p.exe = copy;
        p.exeString = new String(copy, StandardCharsets.UTF_8);
    }
}
