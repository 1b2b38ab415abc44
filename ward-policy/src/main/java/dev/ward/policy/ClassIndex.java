package dev.ward.policy;

import dev.ward.policy.model.Source;
import java.util.List;

/** Network or capability rules: one {@link ClassTable} per fromSource scope plus one global table. Immutable. */
final class ClassIndex {
    static final ClassIndex EMPTY = new Builder().build();

    private final SourceIndex sources;
    private final ClassTable[] scoped;
    private final ClassTable global;

    private ClassIndex(SourceIndex sources, ClassTable[] scoped, ClassTable global) {
        this.sources = sources;
        this.scoped = scoped;
        this.global = global;
    }

    void lookup(long classes, byte[] source, int sourceLength, Scratch s) {
        if (scoped.length > 0 && sourceLength > 0) {
            int n = sources.lookup(source, sourceLength, s);
            int[] ids = s.scopes;
            for (int i = 0; i < n; i++) {
                scoped[ids[i]].lookup(classes, s);
            }
            s.endTier();
        }
        global.lookup(classes, s);
    }

    static final class Builder {
        private final SourceIndex.Builder sources = new SourceIndex.Builder();
        private final SourceIndex.PerScope<ClassTable.Builder> scoped =
                new SourceIndex.PerScope<>(ClassTable.Builder::new);
        private final ClassTable.Builder global = new ClassTable.Builder();

        void add(List<Source> fromSource, int cls, RuleEntry e) {
            if (fromSource.isEmpty()) {
                global.add(cls, e);
                return;
            }
            for (Source src : fromSource) {
                scoped.get(sources.scope(src)).add(cls, e);
            }
        }

        ClassIndex build() {
            List<ClassTable.Builder> bs = scoped.all(sources.size());
            ClassTable[] tables = new ClassTable[bs.size()];
            for (int i = 0; i < tables.length; i++) {
                tables[i] = bs.get(i).build();
            }
            return new ClassIndex(sources.build(), tables, global.build());
        }
    }
}
