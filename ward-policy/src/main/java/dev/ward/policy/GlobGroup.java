package dev.ward.policy;

import dev.ward.policy.match.ByteKeyTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The globs hanging on one {@link PathTrie} node, indexed by the literal text they end with. A glob such as
 * {@code /home/*}{@code /.ssh/id_*.pub} can only match paths ending in ".pub", so globs whose last
 * {@value #TAIL} bytes are literal are filed under those bytes and only run for paths that end the same way;
 * the others are always run. Without this, thousands of globs under one directory (say /home/) would all run
 * for every path below it. Immutable after {@link Builder#build}.
 */
final class GlobGroup {
    static final int TAIL = 3;
    static final GlobGroup EMPTY = new Builder().build();

    private final ByteKeyTable<RuleEntry[]> byTail;
    private final RuleEntry[] others;

    private GlobGroup(ByteKeyTable<RuleEntry[]> byTail, RuleEntry[] others) {
        this.byTail = byTail;
        this.others = others;
    }

    void lookup(byte[] path, int len, int score, Scratch s) {
        if (byTail.size() > 0 && len >= TAIL) {
            RuleEntry[] candidates = byTail.get(path, len - TAIL, TAIL);
            if (candidates != null) {
                run(candidates, path, len, score, s);
            }
        }
        run(others, path, len, score, s);
    }

    private static void run(RuleEntry[] globs, byte[] path, int len, int score, Scratch s) {
        for (RuleEntry g : globs) {
            if (g.glob().matches(path, 0, len, s.glob)) {
                s.offer(g, score);
            }
        }
    }

    static final class Builder {
        private final Map<String, List<RuleEntry>> byTail = new LinkedHashMap<>();
        private final List<RuleEntry> others = new ArrayList<>();

        void add(RuleEntry e) {
            String tail = literalTail(e.glob().pattern());
            if (tail != null) {
                byTail.computeIfAbsent(tail, k -> new ArrayList<>()).add(e);
            } else {
                others.add(e);
            }
        }

        /** The last {@value #TAIL} bytes when they are literal (no wildcard among them), else null. */
        private static String literalTail(String pattern) {
            byte[] b = pattern.getBytes(StandardCharsets.UTF_8);
            if (b.length < TAIL) {
                return null;
            }
            for (int i = b.length - TAIL; i < b.length; i++) {
                if (b[i] == '*' || b[i] == '?') {
                    return null;
                }
            }
            // The key is compared as bytes, so a tail that splits a multi-byte character is still exact.
            return new String(b, b.length - TAIL, TAIL, StandardCharsets.ISO_8859_1);
        }

        GlobGroup build() {
            var t = new ByteKeyTable.Builder<RuleEntry[]>();
            byTail.forEach((k, v) -> t.putBytes(k.getBytes(StandardCharsets.ISO_8859_1), v.toArray(RuleEntry.NONE)));
            return new GlobGroup(t.build(), others.toArray(RuleEntry.NONE));
        }
    }
}
