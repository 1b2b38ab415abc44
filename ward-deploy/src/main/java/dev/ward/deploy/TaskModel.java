package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Dialect;
import dev.ward.taskdef.EcsReader;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.Src;
import dev.ward.taskdef.TaskDef;
import dev.ward.taskdef.TaskDefinitions;
import dev.ward.taskdef.source.ArrNode;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.JsonPath;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import dev.ward.taskdef.source.Pos;
import dev.ward.taskdef.source.ValNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What inject reads of a task definition, read by ward-taskdef (the reader ward check and ward local use: field
 * names, ECS's defaults, the describe-output rule, intrinsics) from the Jackson tree inject rewrites. The tree
 * stays the writer's: it keeps every field, its order and its layout; this is a read-only view of it.
 *
 * <p>Inject reads leniently what it does not rewrite: a field of another shape reads as absent here (the reader
 * collects, and inject does not report, such problems); what it rewrites is checked by {@link TaskShape}. Nodes
 * converted from a tree have no place in a file (1:1): inject names the container and the field instead.
 */
final class TaskModel {
    private static final Pos NOWHERE = new Pos(1, 1);

    private TaskModel() {
    }

    /** Whether {@code doc} is describe-task-definition output, by ward-taskdef's rule. */
    static boolean described(JsonNode doc) {
        return node(doc, JsonPath.ROOT) instanceof ObjNode o && TaskDefinitions.described(o).isPresent();
    }

    /** The task definition {@code td} (register form, camelCase), as ward-taskdef reads it. */
    static TaskDef read(JsonNode td) {
        Src src = Src.api("task definition", null);
        ObjNode root = node(td, JsonPath.ROOT) instanceof ObjNode o ? o : new ObjNode(JsonPath.ROOT, NOWHERE, null, Map.of());
        try {
            return EcsReader.taskDef(src, root, Dialect.ECS, "task definition");
        } catch (BadInputException e) {
            throw new IllegalStateException("a collecting source does not throw", e);
        }
    }

    /** A container's name as inject uses it: the text of {@code name}, empty without one. */
    static String name(Container c) {
        return c.nameField().flatMap(Field::literal).orElse("");
    }

    static Optional<String> text(Optional<Field> f) {
        return f.flatMap(Field::literal);
    }

    private static Node node(JsonNode j, String path) {
        if (j.isObject()) {
            Map<String, Node> members = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : j.properties()) {
                members.put(e.getKey(), node(e.getValue(), JsonPath.member(path, e.getKey())));
            }
            return new ObjNode(path, NOWHERE, null, members);
        }
        if (j.isArray()) {
            List<Node> items = new ArrayList<>();
            for (JsonNode e : j) {
                items.add(node(e, JsonPath.index(path, items.size())));
            }
            return new ArrNode(path, NOWHERE, null, items);
        }
        Object value = j.isNull() ? null : j.isBoolean() ? j.booleanValue() : j.isNumber() ? j.numberValue() : j.asText();
        return new ValNode(path, NOWHERE, null, value);
    }
}
