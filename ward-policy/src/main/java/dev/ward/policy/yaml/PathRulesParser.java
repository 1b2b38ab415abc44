package dev.ward.policy.yaml;

import dev.ward.policy.match.Glob;
import dev.ward.policy.model.PathRule;
import dev.ward.policy.model.Source;
import dev.ward.policy.model.TargetKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The {@code process} and {@code file} blocks: matchPaths, matchDirectories, matchPatterns. The two differ only in
 * readOnly (file) and execname (process). A matchPaths path or matchDirectories dir containing '*' or '?' becomes
 * a glob, as it does under KubeArmor's AppArmor enforcer where every path is an AppArmor glob.
 */
final class PathRulesParser {
    private PathRulesParser() {
    }

    private static final Set<String> BLOCK = union(Set.of("matchPaths", "matchDirectories", "matchPatterns"));

    static List<PathRule> read(Node n, boolean fileBlock, Meta spec, Problems p) {
        String block = fileBlock ? "file" : "process";
        Fields f = Fields.of(n, block, p, BLOCK, Set.of());
        if (f == null) {
            return List.of();
        }
        Meta meta = Meta.read(f, p);
        List<PathRule> out = new ArrayList<>();
        int entries = 0;
        entries += items(f, "matchPaths", p, (item, w) -> path(item, w, fileBlock, meta, spec, p, out));
        entries += items(f, "matchDirectories", p, (item, w) -> dir(item, w, fileBlock, meta, spec, p, out));
        entries += items(f, "matchPatterns", p, (item, w) -> pattern(item, w, fileBlock, meta, spec, p, out));
        if (entries == 0) {
            p.at(f.node(), ErrorCode.NO_RULES, block + " has no rules (expected matchPaths, matchDirectories or "
                    + "matchPatterns with at least one entry)");
        }
        return out;
    }

    interface ItemReader {
        void read(Node item, String where);
    }

    static int items(Fields f, String name, Problems p, ItemReader reader) {
        Node n = f.get(name);
        if (n == null) {
            return 0;
        }
        List<Node> items = Values.sequence(n, f.what() + "." + name, "rules", p);
        if (items == null) {
            return 1; // reported; do not also report "no rules"
        }
        for (int i = 0; i < items.size(); i++) {
            reader.read(items.get(i), f.what() + "." + name + "[" + i + "]");
        }
        return items.size();
    }

    private static void path(Node item, String w, boolean fileBlock, Meta block, Meta spec, Problems p,
            List<PathRule> out) {
        Set<String> known = fileBlock ? union(Set.of("path", "readOnly", "ownerOnly", "fromSource"))
                : union(Set.of("path", "execname", "ownerOnly", "fromSource"));
        Set<String> unsupported = fileBlock ? Set.of("pts") : Set.of("pts", "allowedArgs");
        Fields f = Fields.of(item, w, p, known, unsupported);
        if (f == null) {
            return;
        }
        Node pathNode = f.get("path");
        Node execNode = fileBlock ? null : f.get("execname");
        String target = null;
        TargetKind kind = TargetKind.PATH;
        if (pathNode != null && execNode != null) {
            p.at(execNode, ErrorCode.CONFLICT, w + " has both path and execname (expected one of them)");
        } else if (execNode != null) {
            target = Paths.execName(execNode, w + ".execname", p);
            kind = TargetKind.EXEC_NAME;
        } else if (f.require("path", p, fileBlock ? "an absolute file path"
                : "an absolute executable path, or execname") != null) {
            target = Paths.file(pathNode, w + ".path", p);
            if (target != null && Glob.hasWildcard(target)) {
                target = glob(pathNode, w + ".path", target, p);
                kind = TargetKind.PATTERN;
            }
        }
        add(f, w, kind, target, false, fileBlock, block, spec, p, out);
    }

    private static void dir(Node item, String w, boolean fileBlock, Meta block, Meta spec, Problems p,
            List<PathRule> out) {
        Set<String> known = fileBlock ? union(Set.of("dir", "recursive", "readOnly", "ownerOnly", "fromSource"))
                : union(Set.of("dir", "recursive", "ownerOnly", "fromSource"));
        Fields f = Fields.of(item, w, p, known, Set.of("pts"));
        if (f == null) {
            return;
        }
        Node dirNode = f.require("dir", p, "an absolute directory ending in '/'");
        String target = dirNode == null ? null : Paths.directory(dirNode, w + ".dir", p);
        boolean recursive = Boolean.TRUE.equals(optionalBool(f, "recursive", p));
        TargetKind kind = TargetKind.DIRECTORY;
        if (target != null && Glob.hasWildcard(target)) {
            // A wildcard directory is the glob of its entries: everything below it, or its direct entries.
            target = glob(dirNode, w + ".dir", target + (recursive ? "**" : "*"), p);
            kind = TargetKind.PATTERN;
        }
        add(f, w, kind, target, recursive, fileBlock, block, spec, p, out);
    }

    private static void pattern(Node item, String w, boolean fileBlock, Meta block, Meta spec, Problems p,
            List<PathRule> out) {
        Set<String> known = fileBlock ? union(Set.of("pattern", "readOnly", "ownerOnly"))
                : union(Set.of("pattern", "ownerOnly"));
        Fields f = Fields.of(item, w, p, known, Set.of());
        if (f == null) {
            return;
        }
        Node n = f.require("pattern", p, "a glob such as /etc/*hado?");
        String s = n == null ? null : Values.string(n, w + ".pattern", p);
        String target = s == null ? null : glob(n, w + ".pattern", s, p);
        add(f, w, TargetKind.PATTERN, target, false, fileBlock, block, spec, p, out);
    }

    private static void add(Fields f, String w, TargetKind kind, String target, boolean recursive,
            boolean fileBlock, Meta block, Meta spec, Problems p, List<PathRule> out) {
        boolean ownerOnly = Boolean.TRUE.equals(optionalBool(f, "ownerOnly", p));
        boolean readOnly = fileBlock && Boolean.TRUE.equals(optionalBool(f, "readOnly", p));
        List<Source> sources = SourceParser.read(f, p);
        Meta meta = Meta.read(f, p);
        if (target != null) {
            out.add(new PathRule(kind, target, recursive, ownerOnly, readOnly, sources,
                    Meta.resolve(meta, block, spec), w, p.position(f.node())));
        }
    }

    private static Boolean optionalBool(Fields f, String name, Problems p) {
        Node n = f.get(name);
        return n == null ? Boolean.FALSE : Values.bool(n, f.what() + "." + name, p);
    }

    /** Checks a glob: absolute, only the wildcards Ward implements, not too long. Null after reporting. */
    static String glob(Node n, String what, String s, Problems p) {
        if (s.isEmpty() || s.charAt(0) != '/') {
            p.at(n, ErrorCode.BAD_PATTERN, what + " \"" + s + "\" is not absolute (expected a glob starting with "
                    + "'/', such as /etc/*hado?)");
            return null;
        }
        for (char c : new char[] {'[', '{', '^', '\\'}) {
            if (s.indexOf(c) >= 0) {
                p.at(n, ErrorCode.UNSUPPORTED, what + " \"" + s + "\" uses '" + c + "', which Ward does not "
                        + "support yet (expected only the wildcards *, ? and **)");
                return null;
            }
        }
        if (s.codePointCount(0, s.length()) > Glob.MAX_TOKENS) {
            p.at(n, ErrorCode.BAD_PATTERN, what + " is longer than " + Glob.MAX_TOKENS
                    + " characters (expected a shorter glob)");
            return null;
        }
        return s;
    }

    static Set<String> union(Set<String> fields) {
        Set<String> all = new HashSet<>(fields);
        all.addAll(Meta.FIELDS);
        return Set.copyOf(all);
    }
}
