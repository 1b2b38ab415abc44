package dev.ward.taskdef;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads task definitions, containers and services written with the ECS API's structure: the API's own
 * JSON (camelCase) and CloudFormation properties (PascalCase), which nest the same way.
 */
public final class EcsReader {
    private EcsReader() {
    }

    public static TaskDef taskDef(Src src, ObjNode td, Dialect d, String label) throws BadInputException {
        List<Container> containers = containers(src, td, d);
        List<Volume> volumes = new ArrayList<>();
        for (ObjNode v : Read.objects(src, td, "volumes")) {
            Optional<ObjNode> efs = Read.object(src, v, "efsVolumeConfiguration");
            Optional<Field> transit = efs.isPresent() ? Read.scalar(src, efs.get(), "transitEncryption") : Optional.empty();
            String name = Read.scalar(src, v, "name").flatMap(Field::literal).orElse("#" + volumes.size());
            volumes.add(new Volume(name, new Loc(v.path(), v.pos()), efs.map(e -> new Loc(e.path(), e.pos())), transit));
        }
        Optional<ObjNode> platform = Read.object(src, td, "runtimePlatform");
        Optional<Field> os = platform.isPresent() ? Read.scalar(src, platform.get(), "operatingSystemFamily") : Optional.empty();
        // Only requiresCompatibilities says the task must run on Fargate; describe output's
        // "compatibilities" lists every launch type the definition happens to fit.
        boolean fargate = false;
        for (Field f : Read.strings(src, td, "requiresCompatibilities")) {
            fargate |= f.is("FARGATE");
        }
        return new TaskDef(src.file(), label, new Loc(td.path(), td.pos()), d,
                Read.scalar(src, td, "networkMode"), Read.scalar(src, td, "pidMode"), Read.scalar(src, td, "ipcMode"),
                Read.scalar(src, td, "executionRoleArn"), Read.scalar(src, td, "taskRoleArn"), os,
                fargate, containers, volumes);
    }

    static List<Container> containers(Src src, ObjNode td, Dialect d) throws BadInputException {
        List<Container> out = new ArrayList<>();
        for (ObjNode c : Read.objects(src, td, "containerDefinitions")) {
            out.add(container(src, c, out.size(), d));
        }
        return out;
    }

    /** Reads one container definition; {@code index} is its place in containerDefinitions. */
    public static Container container(Src src, ObjNode c, int index, Dialect d) throws BadInputException {
        Optional<Field> name = Read.scalar(src, c, "name");
        String shownName = name.map(Field::shown).orElse("#" + index);
        Loc loc = new Loc(c.path(), name.map(Field::pos).orElse(c.pos()));

        List<Field> capAdd = List.of();
        Optional<ObjNode> linux = Read.object(src, c, "linuxParameters");
        if (linux.isPresent()) {
            Optional<ObjNode> caps = Read.object(src, linux.get(), "capabilities");
            if (caps.isPresent()) {
                capAdd = Read.strings(src, caps.get(), "add");
            }
        }
        Optional<Loc> logConfig = Optional.empty();
        Optional<Field> logDriver = Optional.empty();
        Optional<Node> lc = c.get("logConfiguration");
        if (lc.isPresent() && !Read.isNull(lc.get())) {
            logConfig = Optional.of(new Loc(lc.get().path(), lc.get().pos()));
            Optional<ObjNode> lco = Read.object(src, c, "logConfiguration");
            // An intrinsic logConfiguration (!If ...) is present but unknown: count it as having a driver.
            logDriver = lco.isPresent() ? Read.scalar(src, lco.get(), "logDriver") : Field.of(lc.get());
        }
        Optional<Loc> health = c.get("healthCheck").filter(n -> !Read.isNull(n)).map(n -> new Loc(n.path(), n.pos()));

        List<Field> volumesFrom = new ArrayList<>();
        for (ObjNode vf : Read.objects(src, c, "volumesFrom")) {
            Read.scalar(src, vf, "sourceContainer").ifPresent(volumesFrom::add);
        }
        return new Container(index, shownName, loc, d,
                Read.scalar(src, c, "image"), Read.scalar(src, c, "user"), Read.scalar(src, c, "privileged"),
                Read.scalar(src, c, "readonlyRootFilesystem"), Read.scalar(src, c, "essential"),
                capAdd, logConfig, logDriver, health,
                envVars(src, c, "environment", "value"), envVars(src, c, "secrets", "valueFrom"),
                Read.strings(src, c, "entryPoint"), Read.strings(src, c, "command"), volumesFrom, wardLabel(src, c));
    }

    private static Optional<Field> wardLabel(Src src, ObjNode c) throws BadInputException {
        Optional<ObjNode> labels = Read.object(src, c, "dockerLabels");
        return labels.isPresent() ? Read.scalar(src, labels.get(), Container.WARD_LABEL) : Optional.empty();
    }

    private static List<EnvVar> envVars(Src src, ObjNode c, String key, String valueKey) throws BadInputException {
        List<EnvVar> out = new ArrayList<>();
        for (ObjNode e : Read.objects(src, c, key)) {
            Optional<Field> name = Read.scalar(src, e, "name");
            if (name.isEmpty()) {
                throw src.shape(e, "an item of \"" + key + "\" has no \"name\" (expected {\"name\": ..., \"" + valueKey + "\": ...})");
            }
            out.add(new EnvVar(name.get(), Read.scalar(src, e, valueKey)));
        }
        return out;
    }

    public static Service service(Src src, ObjNode s, Dialect d, String label) throws BadInputException {
        Optional<Field> publicIp = Optional.empty();
        Optional<ObjNode> net = Read.object(src, s, "networkConfiguration");
        if (net.isPresent()) {
            Optional<ObjNode> vpc = Read.object(src, net.get(), "awsvpcConfiguration");
            if (vpc.isPresent()) {
                publicIp = Read.scalar(src, vpc.get(), "assignPublicIp");
            }
        }
        return new Service(src.file(), label, new Loc(s.path(), s.pos()), d, publicIp,
                Read.scalar(src, s, "enableExecuteCommand"), Read.scalar(src, s, "platformVersion"),
                Read.scalar(src, s, "launchType"));
    }
}
