package dev.ward.policy;

import dev.ward.policy.match.ByteKeyTable;
import dev.ward.policy.model.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fromSource side of an index: maps each distinct source (an executable, or a directory of executables,
 * recursive or not) to a dense scope number, and finds the scopes an exe belongs to by one walk over its path.
 * The caller holds one rule index per scope. Immutable after {@link Builder#build}.
 */
final class SourceIndex {
    private final Node root;
    private final int scopes;

    private SourceIndex(Node root, int scopes) {
        this.root = root;
        this.scopes = scopes;
    }

    private record Node(ByteKeyTable<Node> children, int exact, int dir, int recursive) {
    }

    int scopeCount() {
        return scopes;
    }

    /**
     * Puts the scope numbers matching the executable {@code exe[0, len)} into {@code s.scopes} and returns how many.
     * An exe matches its own path, a non-recursive directory it is directly in, and any recursive ancestor.
     */
    int lookup(byte[] exe, int len, Scratch s) {
        if (scopes == 0 || len == 0 || exe[0] != '/') {
            return 0;
        }
        int count = 0;
        Node n = root;
        int pos = 1;
        while (true) {
            if (n.recursive >= 0) {
                count = add(s, count, n.recursive);
            }
            int end = pos;
            while (end < len && exe[end] != '/') {
                end++;
            }
            if (end >= len && n.dir >= 0) {
                count = add(s, count, n.dir);
            }
            Node child = pos < len ? n.children.get(exe, pos, end - pos) : null;
            if (child == null) {
                return count;
            }
            if (end >= len) {
                if (child.exact >= 0) {
                    count = add(s, count, child.exact);
                }
                return count;
            }
            n = child;
            pos = end + 1;
        }
    }

    private static int add(Scratch s, int count, int scope) {
        s.scopes(count + 1)[count] = scope;
        return count + 1;
    }

    /** Assigns scope numbers to sources; equal sources share one. */
    static final class Builder {
        private final BNode root = new BNode();
        private int next;

        private static final class BNode {
            final Map<String, BNode> children = new LinkedHashMap<>();
            int exact = -1;
            int dir = -1;
            int recursive = -1;
        }

        /** The scope number of a source, created on first use. */
        int scope(Source src) {
            BNode n = root;
            for (String part : src.path().split("/")) {
                if (!part.isEmpty()) {
                    n = n.children.computeIfAbsent(part, k -> new BNode());
                }
            }
            if (!src.directory()) {
                return n.exact >= 0 ? n.exact : (n.exact = next++);
            }
            if (src.recursive()) {
                return n.recursive >= 0 ? n.recursive : (n.recursive = next++);
            }
            return n.dir >= 0 ? n.dir : (n.dir = next++);
        }

        int size() {
            return next;
        }

        SourceIndex build() {
            return new SourceIndex(freeze(root), next);
        }

        private static Node freeze(BNode b) {
            var kids = new ByteKeyTable.Builder<Node>();
            b.children.forEach((k, v) -> kids.put(k, freeze(v)));
            return new Node(kids.build(), b.exact, b.dir, b.recursive);
        }
    }

    /** Helper for compilers: one builder of T per scope number, grown on demand. */
    static final class PerScope<T> {
        private final List<T> items = new ArrayList<>();
        private final java.util.function.Supplier<T> factory;

        PerScope(java.util.function.Supplier<T> factory) {
            this.factory = factory;
        }

        T get(int scope) {
            while (items.size() <= scope) {
                items.add(factory.get());
            }
            return items.get(scope);
        }

        List<T> all(int count) {
            if (count == 0) {
                return List.of();
            }
            get(count - 1);
            return items.subList(0, count);
        }
    }
}
