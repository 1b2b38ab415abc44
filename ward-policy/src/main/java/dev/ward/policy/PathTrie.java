package dev.ward.policy;

import dev.ward.policy.match.ByteKeyTable;
import dev.ward.policy.match.Glob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Process or file rules of one scope (all rules without fromSource, or the rules of one source), indexed by path
 * components. A lookup walks the request path once, component by component, and offers every rule that matches to
 * the request's {@link Scratch}; glob rules hang on the node of their literal directory prefix, so only globs that
 * can match are run.
 *
 * <p>Specificity score of a match, higher wins: {@code depth * 4 + rank} where depth counts the components of the
 * rule's directory (or of the path itself for exact paths) and rank is 3 for an exact path or exec name, 2 for a
 * glob, 1 for a non-recursive directory, 0 for a recursive one. So the deepest directory wins over its ancestors,
 * a glob over the directory it lives in, and an exact path over everything: the most specific rule decides, as
 * KubeArmor's BPF enforcer does by trying the exact path before walking directories.
 *
 * <p>Immutable after {@link Builder#build}.
 */
final class PathTrie {
    static final int EXACT = 3;
    static final int GLOB = 2;
    static final int DIR = 1;
    static final int RECURSIVE = 0;

    private static final PathTrie EMPTY = new Builder().build();

    private final Node root;
    private final ByteKeyTable<RuleEntry[]> execNames;

    private PathTrie(Node root, ByteKeyTable<RuleEntry[]> execNames) {
        this.root = root;
        this.execNames = execNames;
    }

    static PathTrie empty() {
        return EMPTY;
    }

    private record Node(ByteKeyTable<Node> children, RuleEntry[] exact, RuleEntry[] dir, RuleEntry[] recursive,
            GlobGroup globs) {
    }

    /** Offers every rule matching {@code path[0, len)} to {@code s}. The path must be absolute and normalised. */
    void lookup(byte[] path, int len, Scratch s) {
        if (len == 0 || path[0] != '/') {
            return;
        }
        if (execNames.size() > 0) {
            offerExecName(path, len, s);
        }
        Node n = root;
        int pos = 1;
        int depth = 0;
        while (true) {
            s.offerAll(n.recursive, depth * 4 + RECURSIVE);
            if (n.globs != GlobGroup.EMPTY) {
                n.globs.lookup(path, len, depth * 4 + GLOB, s);
            }
            if (pos >= len) {
                // The path is this directory itself ("/").
                s.offerAll(n.dir, depth * 4 + DIR);
                return;
            }
            int end = pos;
            while (end < len && path[end] != '/') {
                end++;
            }
            Node child = n.children.get(path, pos, end - pos);
            if (end >= len) {
                // Last component: an entry directly inside n, and maybe itself a node (a rule's file or directory).
                s.offerAll(n.dir, depth * 4 + DIR);
                if (child != null) {
                    s.offerAll(child.exact, (depth + 1) * 4 + EXACT);
                    s.offerAll(child.dir, (depth + 1) * 4 + DIR);
                    s.offerAll(child.recursive, (depth + 1) * 4 + RECURSIVE);
                }
                return;
            }
            if (child == null) {
                return;
            }
            n = child;
            pos = end + 1;
            depth++;
        }
    }

    private void offerExecName(byte[] path, int len, Scratch s) {
        int slash = len - 1;
        int depth = 0;
        for (int i = 0; i < len; i++) {
            if (path[i] == '/') {
                slash = i;
                depth++;
            }
        }
        RuleEntry[] rules = execNames.get(path, slash + 1, len - slash - 1);
        if (rules != null) {
            s.offerAll(rules, depth * 4 + EXACT);
        }
    }

    /** Collects rules; not thread-safe, used once by the compiler. */
    static final class Builder {
        private final BNode root = new BNode();
        private final Map<String, List<RuleEntry>> execNames = new LinkedHashMap<>();
        private int size;

        private static final class BNode {
            final Map<String, BNode> children = new LinkedHashMap<>();
            final List<RuleEntry> exact = new ArrayList<>();
            final List<RuleEntry> dir = new ArrayList<>();
            final List<RuleEntry> recursive = new ArrayList<>();
            GlobGroup.Builder globs;
        }

        int size() {
            return size;
        }

        /** An exact path: "/etc/shadow". */
        Builder path(String path, RuleEntry e) {
            node(path).exact.add(e);
            size++;
            return this;
        }

        /** A directory, ending in "/": "/etc/ssl/". */
        Builder directory(String dir, boolean recursive, RuleEntry e) {
            BNode n = node(dir);
            (recursive ? n.recursive : n.dir).add(e);
            size++;
            return this;
        }

        /** A glob; a glob without wildcards is an exact path. The entry must carry the compiled glob. */
        Builder glob(Glob g, RuleEntry e) {
            if (!g.wildcard()) {
                return path(g.pattern(), e);
            }
            BNode n = node(g.literalDirPrefix());
            if (n.globs == null) {
                n.globs = new GlobGroup.Builder();
            }
            n.globs.add(e);
            size++;
            return this;
        }

        /** A process exec name: the file name of the executable wherever it is. */
        Builder execName(String name, RuleEntry e) {
            execNames.computeIfAbsent(name, k -> new ArrayList<>()).add(e);
            size++;
            return this;
        }

        private BNode node(String path) {
            BNode n = root;
            for (String part : path.split("/")) {
                if (!part.isEmpty()) {
                    n = n.children.computeIfAbsent(part, k -> new BNode());
                }
            }
            return n;
        }

        PathTrie build() {
            var names = new ByteKeyTable.Builder<RuleEntry[]>();
            execNames.forEach((k, v) -> names.put(k, v.toArray(RuleEntry.NONE)));
            return new PathTrie(freeze(root), names.build());
        }

        private static Node freeze(BNode b) {
            var kids = new ByteKeyTable.Builder<Node>();
            b.children.forEach((k, v) -> kids.put(k, freeze(v)));
            return new Node(kids.build(), b.exact.toArray(RuleEntry.NONE), b.dir.toArray(RuleEntry.NONE),
                    b.recursive.toArray(RuleEntry.NONE), b.globs == null ? GlobGroup.EMPTY : b.globs.build());
        }
    }
}
