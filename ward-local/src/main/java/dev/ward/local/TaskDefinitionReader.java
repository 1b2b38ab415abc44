package dev.ward.local;

import dev.ward.taskdef.Container;
import dev.ward.taskdef.Dialect;
import dev.ward.taskdef.EcsReader;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.Src;
import dev.ward.taskdef.TaskDef;
import dev.ward.taskdef.TaskDefinitions;
import dev.ward.taskdef.Volume;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.JsonSource;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a task definition: {@code aws ecs register-task-definition} input, or
 * {@code describe-task-definition} output (the {@code taskDefinition} wrapper, unwrapped as every tool does it:
 * {@link TaskDefinitions#unwrap}), into ward-taskdef's model, with the bounded reader ward check and ward inject
 * use. Then it checks what ward local needs to run it: every problem found is collected and reported at once, each
 * naming the container and the field (a field of the wrong shape by its line and column); {@link TaskGraph} then
 * checks what spans containers (dependsOn, volumesFrom, mountPoints).
 */
public final class TaskDefinitionReader {
    private final Problems problems;
    private final FieldCheck fields;

    private TaskDefinitionReader(String where) {
        this.problems = new Problems(where);
        this.fields = new FieldCheck(problems);
    }

    /** Reads and validates {@code file}; throws {@link LocalException.BadInput} listing every problem. */
    public static TaskDef read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new LocalException.BadInput(file + ": cannot read the task definition: " + e.getMessage());
        }
        return parse(file, text);
    }

    /** Parses task definition JSON; {@code file} is only used in messages (may be null). */
    public static TaskDef parse(Path file, String text) {
        String where = file == null ? "task definition" : file.toString();
        Node root;
        try {
            root = JsonSource.parse(text, where);
        } catch (BadInputException e) {
            throw new LocalException.BadInput(e.where() + ": not valid JSON: " + e.detail());
        }
        TaskDefinitionReader r = new TaskDefinitionReader(where);
        TaskDef def = r.task(where, text, root);
        r.problems.throwIfAny();
        TaskGraph.validate(def, r.problems);
        r.problems.throwIfAny();
        return def;
    }

    private TaskDef task(String where, String text, Node doc) {
        if (!(TaskDefinitions.unwrap(doc) instanceof ObjNode root)) {
            problems.add("", "expected a JSON object (a task definition, or describe output with \"taskDefinition\")");
            return null;
        }
        Src src = Src.api(where, text);
        TaskDef def;
        try {
            // labelled by its family, as ward check labels it
            String label = Optional.ofNullable(root.members().get("family")).flatMap(Field::of).flatMap(Field::literal)
                    .orElse("task");
            def = EcsReader.taskDef(src, root, Dialect.ECS, label);
        } catch (BadInputException e) {
            throw new IllegalStateException("a collecting source does not throw", e);
        }
        src.collected().forEach(problems::add);
        String family = fields.text(def.family(), "", "family");
        if (family == null || family.isBlank()) {
            problems.add("family", "missing (the task definition family)");
        }
        if (def.revision().isPresent()) {
            fields.intValue(def.revision(), "", "revision");
        }
        int i = 0;
        for (Volume v : def.volumes()) {
            volume(v, "volumes[" + i++ + "]");
        }
        if (def.containers().isEmpty()) {
            problems.add("containerDefinitions", "missing or empty (expected an array of containers)");
        }
        ContainerCheck containers = new ContainerCheck(problems, fields);
        for (Container c : def.containers()) {
            containers.check(c);
        }
        String pidMode = fields.text(def.pidMode(), "", "pidMode");
        if (pidMode != null && !pidMode.equals("task")) {
            problems.add("pidMode", "\"" + pidMode + "\" is not supported (Fargate allows only \"task\")");
        }
        String ipcMode = fields.text(def.ipcMode(), "", "ipcMode");
        if (ipcMode != null && !ipcMode.equals("none")) {
            problems.add("ipcMode", "\"" + ipcMode + "\" is not supported on Fargate");
        }
        return def;
    }

    private void volume(Volume v, String at) {
        String name = fields.text(v.nameField(), at, "name");
        if (name == null) {
            problems.add(at + ".name", "missing");
        }
        if (v.efs().isPresent()) {
            problems.add(at + " (" + name + ").efsVolumeConfiguration",
                    "not supported locally (only host.sourcePath bind mounts and task-scoped volumes are)");
        }
        if (v.fsxWindows().isPresent()) {
            problems.add(at + " (" + name + ").fsxWindowsFileServerVolumeConfiguration",
                    "not supported locally (only host.sourcePath bind mounts and task-scoped volumes are)");
        }
        if (v.configuredAtLaunch().flatMap(Field::bool).orElse(false)) {
            problems.add(at + " (" + name + ").configuredAtLaunch", "not supported locally (EBS volumes)");
        }
        fields.text(v.hostSourcePath(), at + ".host", "sourcePath");
    }
}
