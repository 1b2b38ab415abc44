package dev.ward.policy.yaml;

import dev.ward.policy.model.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * {@code fromSource} lists. Each entry names an executable ({@code path}) or a directory of executables
 * ({@code dir}, optionally {@code recursive}); the CRD has {@code dir} only for syscalls, Ward accepts it everywhere
 * (issue: "fromSource (paths and directories)").
 */
final class SourceParser {
    private SourceParser() {
    }

    private static final Set<String> FIELDS = Set.of("path", "dir", "recursive");

    static List<Source> read(Fields rule, Problems p) {
        Node n = rule.get("fromSource");
        if (n == null) {
            return List.of();
        }
        String what = rule.what() + ".fromSource";
        List<Node> items = Values.sequence(n, what, "{path: /absolute/executable} or {dir: /directory/}", p);
        if (items == null) {
            return List.of();
        }
        List<Source> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String w = what + "[" + i + "]";
            Fields f = Fields.of(items.get(i), w, p, FIELDS, Set.of());
            if (f == null) {
                continue;
            }
            Node path = f.get("path");
            Node dir = f.get("dir");
            if (path != null && dir != null) {
                p.at(dir, ErrorCode.CONFLICT, w + " has both path and dir (expected one of them per entry)");
                continue;
            }
            if (path == null && dir == null) {
                p.at(f.node(), ErrorCode.MISSING_FIELD, "missing 'path' in " + w
                        + " (expected path: /absolute/executable, or dir: /directory/)");
                continue;
            }
            if (path != null) {
                if (f.has("recursive")) {
                    p.at(f.get("recursive"), ErrorCode.CONFLICT, w + ".recursive applies to dir only (expected it "
                            + "removed, or path replaced by dir)");
                }
                String s = Paths.file(path, w + ".path", p);
                if (s != null) {
                    out.add(Source.file(s));
                }
            } else {
                String s = Paths.directory(dir, w + ".dir", p);
                Boolean recursive = f.has("recursive") ? Values.bool(f.get("recursive"), w + ".recursive", p) : false;
                if (s != null && recursive != null) {
                    out.add(Source.dir(s, recursive));
                }
            }
        }
        return out;
    }
}
