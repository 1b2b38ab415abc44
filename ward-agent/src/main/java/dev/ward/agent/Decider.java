package dev.ward.agent;

import dev.ward.bindings.Arch;
import dev.ward.bindings.Errno;
import dev.ward.bindings.ProcFs;
import dev.ward.capture.Family;
import dev.ward.capture.Paths;
import dev.ward.capture.SyscallEvent;
import dev.ward.capture.Volumes;
import dev.ward.capture.SyscallTable;
import dev.ward.policy.Action;
import dev.ward.policy.Capability;
import dev.ward.policy.CapabilityRequest;
import dev.ward.policy.FileRequest;
import dev.ward.policy.Match;
import dev.ward.policy.NetworkRequest;
import dev.ward.policy.Operation;
import dev.ward.policy.PolicySet;
import dev.ward.policy.SyscallRequest;
import dev.ward.state.ProcessTable;
import java.nio.charset.StandardCharsets;

/**
 * Decides one trapped syscall against the loaded rules: the file, process, network, capabilities and
 * syscalls matches, each on the name given and on the file actually reached (links resolved, inodes). It
 * returns a {@link Match} (or null) and reports nothing: {@link Guard} acts on the answer, {@link Reports}
 * describes it. Runs on the tracer thread only; the request objects are reused, so nothing is allocated
 * on the way to a decision.
 */
final class Decider {
    private static final long O_NOFOLLOW = Arch.CURRENT.oNofollow();
    private final FileRequest fileRequest = new FileRequest();
    private final NetworkRequest networkRequest = new NetworkRequest();
    private final CapabilityRequest capabilityRequest = new CapabilityRequest();
    private final SyscallRequest syscallRequest = new SyscallRequest();
    private final ProcFs proc = new ProcFs();
    private final byte[] link = new byte[ProcFs.PATH_MAX];
    private final byte[] joined = new byte[2 * ProcFs.PATH_MAX + 1];
    private final byte[] target = new byte[2 * ProcFs.PATH_MAX + 1];
    private dev.ward.capture.ProcessFacts facts = dev.ward.capture.ProcessFacts.unkept();

    /**
     * Mount table, root and mount namespace changes: while file or process rules are in force, every
     * decision is about a path, and these would change what a path names (a bind mount of a protected file
     * elsewhere, a detached tree, another root), so they are refused. Without such rules they are what they
     * were: calls that need CAP_SYS_ADMIN or CAP_SYS_CHROOT, for capabilities rules.
     */
    /** The tracer's kept uids (and cwds), which an ownerOnly rule is judged by: see {@link #uidNow}. */
    void facts(dev.ward.capture.ProcessFacts f) {
        this.facts = f;
    }

    Match mountMatch(PolicySet set, SyscallEvent e, ProcessTable.Process p) {
        boolean detachedTree = e.syscall().nr() != SyscallTable.NR_OPEN_TREE
                || (e.arg(2) & OPEN_TREE_CLONE) != 0; // open_tree without CLONE is an O_PATH open
        if (detachedTree && (set.hasRules(Operation.FILE) || set.hasRules(Operation.PROCESS))) {
            return SelfProtection.FILE_VIEW;
        }
        return capabilityMatch(set, e, p);
    }

    /** chown and friends change a file's metadata: decided as a write to it when file rules are loaded. */
    Match ownerChangeMatch(LiveRules rules, SyscallEvent e, ProcessTable.Process p) {
        if (e.pathLength() == 0 || !rules.set().hasRules(Operation.FILE)
                || CAPABILITY_BY_NR[e.syscall().nr()] != Capability.CHOWN) {
            return null;
        }
        return fileMatch(rules, e, p);
    }

    Match execMatch(PolicySet set, SyscallEvent e, ProcessTable.Process p) {
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

    Match fileMatch(LiveRules rules, SyscallEvent e, ProcessTable.Process p) {
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
        if (!isBlock(first) && e.pathLength() > 0 && SyscallTable.isRename(e.syscall().nr())) {
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

    /**
     * Whether a read-only open that no rule stopped may be let go for good at its entry ({@link dev.ward.capture.Verdict#ALLOW_FINAL}:
     * the tracer then points the call at a private copy of this path). Only when the path as decided is the
     * file the kernel will reach: absolute after the cwd or dirfd, no ".." and at most one symlink on the way
     * (its canonical form is itself, or {@link #oneLinkAway} it), not through /proc, no O_NOFOLLOW, on the container's own filesystem, not another name of a
     * file a rule names, by a task that shares nothing.
     */
    boolean finalAtEntry(LiveRules rules, SyscallEvent e, ProcessTable.Process p, Volumes volumes) {
        int n = e.pathLength();
        if (n <= 0 || e.writes() || e.shared() || e.pathDotDot() || e.syscall().family() != Family.OPEN
                || e.syscall().nr() == SyscallTable.NR_OPENAT2 || (e.flags() & O_NOFOLLOW) != 0
                || !volumes.onRoot(e.path(), n)) {
            return false;
        }
        int c = e.canonicalPath();
        boolean itself = c == n && same(e.path(), n, e.canonical(), c);
        if (c <= 0 || !itself && !(oneLinkAway(e.path(), n, e.canonical(), c, volumes) && allowed(rules, e, c, p))) {
            return false;
        }
        return rules.inodes().isEmpty() || proc.statPath(e.canonical(), c) != 0 || proc.nlink() <= 1
                || rules.inodes().pathOf(proc.dev(), proc.ino()) == null;
    }

    /**
     * Whether the file reached, {@code e.canonical()[0..c)}, is let go with no report. Only the name given was
     * decided at entry (fileMatch leaves the file reached of a read-only open to the exit check it now skips).
     */
    private boolean allowed(LiveRules rules, SyscallEvent e, int c, ProcessTable.Process p) {
        Match m = rules.set().file(file(rules.set(), e.canonical(), c, p, false));
        return m == null || m.action() == Action.ALLOW;
    }

    /**
     * Whether resolving {@code p} follows one symlink and then only names of {@code canon}, its canonical form:
     * {@code p = A/L + R} and {@code canon = T + R}, where A (a prefix of both, so canonical) holds the symlink L
     * whose target, read now and taken against A, is T, with no ".." in it. Every name the kernel looks up after L
     * is then a prefix of canon (no symlink, on the container's own filesystem), so p reaches canon for as long as
     * no name changes, which only calls the tracer stops can do (see ward-capture's FinalOpens). A merged-/usr
     * system's /lib/... and /bin/..., and a library opened by its versioned link, are such paths.
     */
    boolean oneLinkAway(byte[] p, int n, byte[] canon, int c, Volumes volumes) {
        int same = java.util.Arrays.mismatch(p, 0, n, canon, 0, c);
        if (same < 1 || !volumes.onRoot(canon, c)) {
            return false;
        }
        int slash = same - 1; // A = p[0..slash), the last whole directory both share ("" for the root)
        while (slash > 0 && p[slash] != '/') {
            slash--;
        }
        int end = slash + 1; // L = p[slash + 1..end)
        while (end < n && p[end] != '/') {
            end++;
        }
        int t = c - (n - end); // T = canon[0..t), R = p[end..n) = canon[t..c)
        if (end == slash + 1 || t < 1 || !java.util.Arrays.equals(p, end, n, canon, t, c)) {
            return false;
        }
        int x = proc.readlink(p, end, link);
        if (x <= 0 || x >= link.length || Paths.hasDotDot(link, x)) {
            return false; // not a symlink (EINVAL), or one whose target the lexical form may not follow
        }
        int j = 0;
        if (link[0] != '/') {
            System.arraycopy(p, 0, joined, 0, slash);
            j = slash;
            joined[j++] = '/';
        }
        System.arraycopy(link, 0, joined, j, x);
        int m = Paths.normalize(joined, j + x, target);
        return m == t && same(target, m, canon, t);
    }

    static boolean isBlock(Match m) {
        return m != null && m.action() == Action.BLOCK;
    }

    private static boolean same(byte[] a, int aLen, byte[] b, int bLen) {
        return java.util.Arrays.equals(a, 0, aLen, b, 0, bLen);
    }

    static Match stronger(Match a, Match b) {
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
    static final Capability[] CAPABILITY_BY_NR = new Capability[512];

    static {
        for (dev.ward.capture.Syscall s : SyscallTable.trapped()) {
            CAPABILITY_BY_NR[s.nr()] = Capability.forSyscall(s.name());
        }
    }

    Match capabilityMatch(PolicySet set, SyscallEvent e, ProcessTable.Process p) {
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
    Match syscallMatch(PolicySet set, SyscallEvent e, ProcessTable.Process p) {
        SyscallRequest r = syscallRequest;
        r.name = e.syscall().name();
        int n = e.pathLength();
        System.arraycopy(e.path(), 0, r.path, 0, n);
        r.pathLength = n;
        copySource(p, r.source);
        r.sourceLength = p == null ? 0 : p.exe().length;
        return set.syscall(r);
    }

    Match networkMatch(PolicySet set, SyscallEvent e, ProcessTable.Process p) {
        if (e.syscall().nr() != SyscallTable.NR_SOCKET) { // rules apply to socket(); connect/bind/accept are logged
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

    FileRequest file(PolicySet set, byte[] path, int length, ProcessTable.Process p, boolean writes) {
        FileRequest r = fileRequest;
        System.arraycopy(path, 0, r.path, 0, length);
        r.pathLength = length;
        copySource(p, r.source);
        r.sourceLength = p == null ? 0 : p.exe().length;
        r.write = writes;
        r.uid = p == null ? -1 : set.needsOwner() ? uidNow(p) : p.uid();
        r.ownerUid = set.needsOwner() ? owner(path, length) : -1;
        return r;
    }

    /**
     * The real uid of {@code p} now: a process may setuid without an exec after it (an nginx worker), so the uid
     * recorded at its exec is not what an ownerOnly rule must compare (kept by the tracer while set*uid stop, else
     * read from /proc).
     */
    private int uidNow(ProcessTable.Process p) {
        int uid = facts.uid(p.pid());
        return uid >= 0 ? uid : p.uid();
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

    /**
     * A process rule's decision on {@code path}, and on the rule path of the same inode: that of
     * /proc/{@code exeOf}/exe when {@code exeOf} > 0, else of {@code path} itself.
     */
    Match processMatch(LiveRules rules, byte[] path, int n, ProcessTable.Process p, int exeOf) {
        PolicySet set = rules.set();
        Match m = set.process(file(set, path, n, p, false));
        if (!isBlock(m) && !rules.inodes().isEmpty()
                && (exeOf > 0 ? proc.statExe(exeOf) : proc.statPath(path, n)) == 0) {
            byte[] named = rules.inodes().pathOf(proc.dev(), proc.ino());
            if (named != null) {
                m = stronger(m, set.process(file(set, named, named.length, p, false)));
            }
        }
        return m;
    }

    private static final long OPEN_TREE_CLONE = 1;
}
