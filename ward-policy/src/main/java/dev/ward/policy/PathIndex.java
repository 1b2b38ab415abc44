package dev.ward.policy;

import dev.ward.policy.model.Source;
import java.util.List;

/**
 * All process (or all file) rules of a policy set: one {@link PathTrie} per fromSource scope plus one for rules
 * without fromSource. A decision asks the scopes of the caller's exe first; the global trie only decides what they
 * left open. Immutable.
 */
final class PathIndex {
    static final PathIndex EMPTY = new Builder().build();

    private final SourceIndex sources;
    private final PathTrie[] scoped;
    private final PathTrie global;

    private PathIndex(SourceIndex sources, PathTrie[] scoped, PathTrie global) {
        this.sources = sources;
        this.scoped = scoped;
        this.global = global;
    }

    void lookup(FileRequest r, Scratch s) {
        if (scoped.length > 0 && r.sourceLength > 0) {
            int n = sources.lookup(r.source, r.sourceLength, s);
            int[] ids = s.scopes;
            for (int i = 0; i < n; i++) {
                scoped[ids[i]].lookup(r.path, r.pathLength, s);
            }
            s.endTier();
        }
        global.lookup(r.path, r.pathLength, s);
    }

    static final class Builder {
        private final SourceIndex.Builder sources = new SourceIndex.Builder();
        private final SourceIndex.PerScope<PathTrie.Builder> scoped = new SourceIndex.PerScope<>(PathTrie.Builder::new);
        private final PathTrie.Builder global = new PathTrie.Builder();

        /** The tries a rule with these sources goes into: the global one, or one per source. */
        void forEachTrie(List<Source> fromSource, java.util.function.Consumer<PathTrie.Builder> add) {
            if (fromSource.isEmpty()) {
                add.accept(global);
                return;
            }
            for (Source src : fromSource) {
                add.accept(scoped.get(sources.scope(src)));
            }
        }

        PathIndex build() {
            List<PathTrie.Builder> bs = scoped.all(sources.size());
            PathTrie[] tries = new PathTrie[bs.size()];
            for (int i = 0; i < tries.length; i++) {
                tries[i] = bs.get(i).build();
            }
            return new PathIndex(sources.build(), tries, global.build());
        }
    }
}
