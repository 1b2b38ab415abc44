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
            volumes.add(volume(src, v, volumes.size()));
        }
        Optional<ObjNode> platform = Read.object(src, td, "runtimePlatform");
        Optional<Field> os = platform.isPresent() ? Read.scalar(src, platform.get(), "operatingSystemFamily") : Optional.empty();
        Optional<Field> arch = platform.isPresent() ? Read.scalar(src, platform.get(), "cpuArchitecture") : Optional.empty();
        // Only requiresCompatibilities says the task must run on Fargate; describe output's
        // "compatibilities" lists every launch type the definition happens to fit.
        boolean fargate = false;
        for (Field f : Read.strings(src, td, "requiresCompatibilities")) {
            fargate |= f.is("FARGATE");
        }
        return new TaskDef(src.file(), label, new Loc(td.path(), td.pos()), d,
                Read.scalar(src, td, "networkMode"), Read.scalar(src, td, "pidMode"), Read.scalar(src, td, "ipcMode"),
                Read.scalar(src, td, "executionRoleArn"), Read.scalar(src, td, "taskRoleArn"), os,
                fargate, containers, volumes, Read.scalar(src, td, "family"), Read.scalar(src, td, "revision"),
                Read.scalar(src, td, "cpu"), Read.scalar(src, td, "memory"), arch);
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
        Optional<Loc> logConfig = Optional.empty();
        Optional<Field> logDriver = Optional.empty();
        Optional<Node> lc = src.get(c, "logConfiguration");
        if (lc.isPresent() && !Read.isNull(lc.get())) {
            logConfig = Optional.of(loc(lc.get()));
            Optional<ObjNode> lco = Read.object(src, c, "logConfiguration");
            // An intrinsic logConfiguration (!If ...) is present but unknown: count it as having a driver.
            logDriver = lco.isPresent() ? Read.scalar(src, lco.get(), "logDriver") : Field.of(lc.get());
        }
        return new Container(index, shownName, name, loc, d,
                Read.scalar(src, c, "image"), Read.scalar(src, c, "user"), Read.scalar(src, c, "workingDirectory"),
                Read.scalar(src, c, "privileged"), Read.scalar(src, c, "readonlyRootFilesystem"),
                Read.scalar(src, c, "essential"), linuxParameters(src, c), logConfig, logDriver, healthCheck(src, c),
                envVars(src, c, "environment", "value"), EcsParts.environmentFiles(src, c), envVars(src, c, "secrets", "valueFrom"),
                Read.strings(src, c, "entryPoint"), Read.strings(src, c, "command"), EcsParts.portMappings(src, c),
                EcsParts.mountPoints(src, c), EcsParts.volumesFrom(src, c), EcsParts.dependsOn(src, c),
                Read.scalar(src, c, "stopTimeout"), Read.scalar(src, c, "startTimeout"), Read.scalar(src, c, "memory"),
                wardLabel(src, c));
    }

    private static Volume volume(Src src, ObjNode v, int index) throws BadInputException {
        Optional<ObjNode> efs = Read.object(src, v, "efsVolumeConfiguration");
        Optional<Field> transit = efs.isPresent() ? Read.scalar(src, efs.get(), "transitEncryption") : Optional.empty();
        Optional<Field> name = Read.scalar(src, v, "name");
        Optional<ObjNode> host = Read.object(src, v, "host");
        Optional<Field> sourcePath = host.isPresent() ? Read.scalar(src, host.get(), "sourcePath") : Optional.empty();
        Optional<Loc> fsx = src.get(v, "fsxWindowsFileServerVolumeConfiguration").filter(n -> !Read.isNull(n))
                .map(EcsReader::loc);
        return new Volume(name.flatMap(Field::literal).orElse("#" + index), loc(v), efs.map(EcsReader::loc), transit,
                name, sourcePath, fsx, Read.scalar(src, v, "configuredAtLaunch"));
    }

    private static Container.LinuxParameters linuxParameters(Src src, ObjNode c) throws BadInputException {
        Optional<ObjNode> linux = Read.object(src, c, "linuxParameters");
        if (linux.isEmpty()) {
            return Container.LinuxParameters.NONE;
        }
        List<Field> add = List.of();
        List<Field> drop = List.of();
        Optional<ObjNode> caps = Read.object(src, linux.get(), "capabilities");
        if (caps.isPresent()) {
            add = Read.strings(src, caps.get(), "add");
            drop = Read.strings(src, caps.get(), "drop");
        }
        List<Loc> notOnFargate = new ArrayList<>();
        for (String key : Container.LinuxParameters.NOT_ON_FARGATE) {
            src.get(linux.get(), key).filter(n -> !Read.isNull(n)).ifPresent(n -> notOnFargate.add(loc(n)));
        }
        return new Container.LinuxParameters(add, drop, Read.scalar(src, linux.get(), "initProcessEnabled"), notOnFargate);
    }

    private static Optional<Container.HealthCheck> healthCheck(Src src, ObjNode c) throws BadInputException {
        Optional<Node> n = src.get(c, "healthCheck").filter(h -> !Read.isNull(h));
        if (n.isEmpty()) {
            return Optional.empty();
        }
        // A health check that is not an object (an intrinsic, or a mistake) is there, without fields.
        if (!(n.get() instanceof ObjNode o) || o.intrinsic()) {
            return Optional.of(new Container.HealthCheck(loc(n.get()), List.of(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty()));
        }
        return Optional.of(new Container.HealthCheck(loc(o), Read.strings(src, o, "command"), Read.scalar(src, o, "interval"),
                Read.scalar(src, o, "timeout"), Read.scalar(src, o, "retries"), Read.scalar(src, o, "startPeriod")));
    }

    private static Optional<Field> wardLabel(Src src, ObjNode c) throws BadInputException {
        Optional<ObjNode> labels = Read.object(src, c, "dockerLabels");
        return labels.isPresent() ? Read.scalar(src, labels.get(), Container.WARD_LABEL) : Optional.empty();
    }

    private static List<EnvVar> envVars(Src src, ObjNode c, String key, String valueKey) throws BadInputException {
        List<EnvVar> out = new ArrayList<>();
        for (ObjNode e : Read.objects(src, c, key)) {
            Optional<Field> name = Read.scalar(src, e, "name");
            if (name.isPresent()) {
                out.add(new EnvVar(name.get(), Read.scalar(src, e, valueKey)));
            } else {
                src.refuse(e, "an item of \"" + key + "\" has no \"name\" (expected {\"name\": ..., \"" + valueKey + "\": ...})");
            }
        }
        return out;
    }

    static Loc loc(Node n) {
        return new Loc(n.path(), n.pos());
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
                Read.scalar(src, s, "launchType"), Optional.empty(), List.of());
    }
}
