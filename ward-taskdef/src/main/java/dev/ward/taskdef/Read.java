package dev.ward.taskdef;

import dev.ward.taskdef.source.ArrNode;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import dev.ward.taskdef.source.ValNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed reads from nodes. A field of the wrong shape is an input error pointing at it (thrown, or collected and
 * read as absent: {@link Src#api}), except that intrinsics (known only at deploy time) are accepted where a
 * list or object belongs and read as empty.
 */
final class Read {
    private Read() {
    }

    static Optional<Field> scalar(Src src, ObjNode o, String key) throws BadInputException {
        Optional<Node> n = src.get(o, key);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        Optional<Field> f = Field.of(n.get());
        if (f.isEmpty()) {
            src.refuse(n.get(), "\"" + key + "\" is " + describe(n.get()) + " (expected a single value)");
        }
        return f;
    }

    static Optional<ObjNode> object(Src src, ObjNode o, String key) throws BadInputException {
        Optional<Node> n = src.get(o, key);
        if (n.isEmpty() || n.get().intrinsic() || isNull(n.get())) {
            return Optional.empty();
        }
        if (n.get() instanceof ObjNode obj) {
            return Optional.of(obj);
        }
        src.refuse(n.get(), "\"" + key + "\" is " + describe(n.get()) + " (expected an object)");
        return Optional.empty();
    }

    static List<Node> list(Src src, ObjNode o, String key) throws BadInputException {
        Optional<Node> n = src.get(o, key);
        if (n.isEmpty() || n.get().intrinsic() || isNull(n.get())) {
            return List.of();
        }
        if (n.get() instanceof ArrNode a) {
            return a.items();
        }
        src.refuse(n.get(), "\"" + key + "\" is " + describe(n.get()) + " (expected a list)");
        return List.of();
    }

    /** The objects of a list; intrinsic items (such as {@code !If}) are skipped, other non-objects are errors. */
    static List<ObjNode> objects(Src src, ObjNode o, String key) throws BadInputException {
        List<ObjNode> out = new ArrayList<>();
        for (Node item : list(src, o, key)) {
            if (item.intrinsic()) {
                continue;
            }
            if (item instanceof ObjNode obj) {
                out.add(obj);
            } else {
                src.refuse(item, "an item of \"" + key + "\" is " + describe(item) + " (expected an object)");
            }
        }
        return out;
    }

    static List<Field> strings(Src src, ObjNode o, String key) throws BadInputException {
        List<Field> out = new ArrayList<>();
        for (Node item : list(src, o, key)) {
            Optional<Field> f = Field.of(item);
            if (f.isPresent()) {
                out.add(f.get());
            } else {
                src.refuse(item, "an item of \"" + key + "\" is " + describe(item) + " (expected a string)");
            }
        }
        return out;
    }

    static boolean isNull(Node n) {
        return n instanceof ValNode v && v.value() == null && v.tag() == null;
    }

    static String describe(Node n) {
        return switch (n) {
            case ObjNode o -> "an object";
            case ArrNode a -> "a list";
            case ValNode v -> v.value() == null ? "null" : "the value " + v.text();
        };
    }
}
