package dev.ward.policy;

import dev.ward.policy.model.Source;
import dev.ward.policy.model.SyscallRule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Audit-only {@code syscalls} rules, indexed by syscall name. Syscall rules are few and only consulted for the
 * syscalls they name, so each name keeps a plain array scanned in policy order; the first rule whose fromSource
 * and path both match reports. Immutable after construction.
 */
final class SyscallIndex {
    static final SyscallIndex EMPTY = new SyscallIndex(Map.of());

    private final Map<String, Entry[]> byName;

    private SyscallIndex(Map<String, Entry[]> byName) {
        this.byName = byName;
    }

    /** A compiled byte prefix or path: exact file, or directory (with trailing '/'), recursive or not. */
    private record Target(byte[] path, boolean directory, boolean recursive) {
        static Target of(String p, boolean directory, boolean recursive) {
            return new Target(p.getBytes(StandardCharsets.UTF_8), directory, recursive);
        }

        boolean matches(byte[] buf, int len) {
            if (!directory) {
                return len == path.length && Arrays.equals(path, 0, len, buf, 0, len);
            }
            if (len < path.length || !Arrays.equals(path, 0, path.length, buf, 0, path.length)) {
                // The directory itself, named without its trailing slash.
                return len == path.length - 1 && Arrays.equals(path, 0, len, buf, 0, len);
            }
            if (recursive) {
                return true;
            }
            for (int i = path.length; i < len; i++) {
                if (buf[i] == '/') {
                    return false;
                }
            }
            return true;
        }
    }

    private record Entry(Target[] sources, Target target, Match match) {
    }

    Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
    }

    Match lookup(SyscallRequest r) {
        if (r.name == null) {
            return null;
        }
        Entry[] entries = byName.get(r.name);
        if (entries == null) {
            return null;
        }
        for (Entry e : entries) {
            if (e.target != null && !e.target.matches(r.path, r.pathLength)) {
                continue;
            }
            if (e.sources.length == 0) {
                return e.match;
            }
            for (Target t : e.sources) {
                if (t.matches(r.source, r.sourceLength)) {
                    return e.match;
                }
            }
        }
        return null;
    }

    static final class Builder {
        private final Map<String, List<Entry>> byName = new HashMap<>();

        void add(SyscallRule rule, Match match) {
            Target[] sources = new Target[rule.fromSource().size()];
            for (int i = 0; i < sources.length; i++) {
                Source s = rule.fromSource().get(i);
                sources[i] = Target.of(s.path(), s.directory(), s.recursive());
            }
            Target target = rule.path() == null ? null
                    : Target.of(rule.path(), rule.path().endsWith("/"), rule.recursive());
            Entry e = new Entry(sources, target, match);
            for (String name : rule.syscalls()) {
                byName.computeIfAbsent(name, k -> new ArrayList<>()).add(e);
            }
        }

        SyscallIndex build() {
            if (byName.isEmpty()) {
                return EMPTY;
            }
            Map<String, Entry[]> m = new HashMap<>();
            byName.forEach((k, v) -> m.put(k, v.toArray(new Entry[0])));
            return new SyscallIndex(Map.copyOf(m));
        }
    }
}
