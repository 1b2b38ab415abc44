package dev.ward.taskdef.source;

import java.util.List;

/** A JSON array or YAML sequence. */
public record ArrNode(String path, Pos pos, String tag, List<Node> items) implements Node {
    public ArrNode {
        items = List.copyOf(items);
    }
}
