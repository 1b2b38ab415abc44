package dev.ward.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.taskdef.TaskDef;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Task definitions and a log collector for the tests. */
final class Tasks {
    static final ObjectMapper JSON = new ObjectMapper();

    private Tasks() {}

    static ObjectNode task(String family, ObjectNode... containers) {
        ObjectNode t = JSON.createObjectNode();
        t.put("family", family);
        t.put("networkMode", "awsvpc");
        t.putArray("requiresCompatibilities").add("FARGATE");
        t.put("cpu", "256");
        t.put("memory", "512");
        ArrayNode defs = t.putArray("containerDefinitions");
        for (ObjectNode c : containers) {
            defs.add(c);
        }
        return t;
    }

    static ObjectNode container(String name, String image, String... command) {
        ObjectNode c = JSON.createObjectNode();
        c.put("name", name);
        c.put("image", image);
        if (command.length > 0) {
            ArrayNode cmd = c.putArray("command");
            for (String s : command) {
                cmd.add(s);
            }
        }
        return c;
    }

    static ObjectNode shell(String name, String image, String script) {
        return container(name, image, "/bin/sh", "-c", script);
    }

    static ObjectNode dependsOn(ObjectNode c, String container, String condition) {
        ArrayNode deps = c.has("dependsOn") ? (ArrayNode) c.get("dependsOn") : c.putArray("dependsOn");
        deps.addObject().put("containerName", container).put("condition", condition);
        return c;
    }

    static TaskDef parse(ObjectNode task) {
        return TaskDefinitionReader.parse(null, task.toString());
    }

    static ObjectNode env(ObjectNode c, Map<String, String> env) {
        ArrayNode a = c.putArray("environment");
        env.forEach((k, v) -> a.addObject().put("name", k).put("value", v));
        return c;
    }

    /** Collects what a task logs; thread-safe. */
    static final class Collected implements LogSink {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        public void line(String container, boolean stderr, String text) {
            lines.add(container + (stderr ? " ! " : " | ") + text);
            System.out.println(container + " | " + text);
        }

        @Override
        public void event(String text) {
            lines.add("ward | " + text);
            System.out.println("ward | " + text);
        }

        List<String> snapshot() {
            return List.copyOf(lines);
        }

        String text() {
            return String.join("\n", lines);
        }
    }
}
