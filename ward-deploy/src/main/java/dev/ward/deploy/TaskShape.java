package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.registry.Platform;
import java.util.List;

/**
 * The shape {@link EcsInjector} relies on, checked before it changes anything: a field it rewrites in place must
 * be the object or list ECS defines, or the rewrite would fail on a cast (an internal error instead of a message)
 * or, for a list, silently replace what was there. Fields it only reads are not checked: it reads them leniently.
 */
final class TaskShape {
    /** Container fields that are lists of objects, which inject adds entries to. */
    private static final List<String> OBJECT_LISTS = List.of("environment", "secrets", "volumesFrom", "dependsOn");

    private TaskShape() {
    }

    /**
     * Throws naming the container and the field when {@code td} has a field inject rewrites in another shape, or
     * when {@code arch} (its cpuArchitecture, as ward-taskdef reads it) is not one Ward has an agent for.
     */
    static void check(JsonNode td, String arch) throws InjectException {
        try {
            Platform.parse(arch);
        } catch (IllegalArgumentException e) {
            throw new InjectException("runtimePlatform.cpuArchitecture: " + e.getMessage() + " (expected X86_64 or ARM64)");
        }
        int i = 0;
        for (JsonNode c : td.path("containerDefinitions")) {
            if (!c.isObject()) {
                throw new InjectException("containerDefinitions[" + i + "]: expected a container (an object), found " + c);
            }
            String name = c.path("name").asText("#" + i);
            for (String field : OBJECT_LISTS) {
                JsonNode list = c.get(field);
                if (list != null && !list.isNull()) {
                    expect(list.isArray(), name, field, "a list", list);
                    for (JsonNode item : list) {
                        expect(item.isObject(), name, field, "a list of objects", item);
                    }
                }
            }
            JsonNode lp = c.get("linuxParameters");
            if (lp != null) {
                expect(lp.isObject(), name, "linuxParameters", "an object", lp);
                JsonNode caps = lp.get("capabilities");
                if (caps != null) {
                    expect(caps.isObject(), name, "linuxParameters.capabilities", "an object", caps);
                    JsonNode add = caps.get("add");
                    expect(add == null || add.isArray(), name, "linuxParameters.capabilities.add", "a list", add);
                }
            }
            i++;
        }
    }

    private static void expect(boolean ok, String container, String field, String what, JsonNode found)
            throws InjectException {
        if (!ok) {
            throw new InjectException("container " + container + ": " + field + ": expected " + what + ", found "
                    + found);
        }
    }
}
