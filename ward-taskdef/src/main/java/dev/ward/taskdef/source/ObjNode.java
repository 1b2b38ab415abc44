package dev.ward.taskdef.source;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A JSON object or YAML mapping; members keep their source order. */
public record ObjNode(String path, Pos pos, String tag, Map<String, Node> members) implements Node {
    public ObjNode {
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /**
     * The member named {@code key}. An exact match wins; otherwise the first member whose name differs
     * only in case, so one lookup serves the ECS API's camelCase ({@code readonlyRootFilesystem}) and
     * CloudFormation's PascalCase ({@code ReadonlyRootFilesystem}, {@code EFSVolumeConfiguration}).
     */
    public Optional<Node> get(String key) {
        Node exact = members.get(key);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (Map.Entry<String, Node> e : members.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    public Optional<ObjNode> obj(String key) {
        return get(key).filter(ObjNode.class::isInstance).map(ObjNode.class::cast);
    }

    public Optional<ArrNode> arr(String key) {
        return get(key).filter(ArrNode.class::isInstance).map(ArrNode.class::cast);
    }

    public boolean has(String key) {
        return get(key).isPresent();
    }
}
