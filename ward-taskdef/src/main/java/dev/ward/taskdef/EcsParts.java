package dev.ward.taskdef;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.ObjNode;
import java.util.ArrayList;
import java.util.List;

/** The lists of objects in a container definition: environment files, ports, mounts, volumesFrom and dependsOn. */
final class EcsParts {
    private EcsParts() {
    }

    static List<Container.EnvironmentFile> environmentFiles(Src src, ObjNode c) throws BadInputException {
        return items(src, c, "environmentFiles", f -> new Container.EnvironmentFile(EcsReader.loc(f),
                Read.scalar(src, f, "value")));
    }

    static List<Container.PortMapping> portMappings(Src src, ObjNode c) throws BadInputException {
        return items(src, c, "portMappings", p -> new Container.PortMapping(EcsReader.loc(p),
                Read.scalar(src, p, "containerPort"), Read.scalar(src, p, "hostPort"), Read.scalar(src, p, "protocol"),
                src.get(p, "containerPortRange").map(EcsReader::loc)));
    }

    static List<Container.MountPoint> mountPoints(Src src, ObjNode c) throws BadInputException {
        return items(src, c, "mountPoints", m -> new Container.MountPoint(EcsReader.loc(m),
                Read.scalar(src, m, "sourceVolume"), Read.scalar(src, m, "containerPath"), Read.scalar(src, m, "readOnly")));
    }

    static List<Container.VolumeFrom> volumesFrom(Src src, ObjNode c) throws BadInputException {
        return items(src, c, "volumesFrom", v -> new Container.VolumeFrom(EcsReader.loc(v),
                Read.scalar(src, v, "sourceContainer"), Read.scalar(src, v, "readOnly")));
    }

    static List<Container.Dependency> dependsOn(Src src, ObjNode c) throws BadInputException {
        return items(src, c, "dependsOn", d -> new Container.Dependency(EcsReader.loc(d),
                Read.scalar(src, d, "containerName"), Read.scalar(src, d, "condition")));
    }

    /** Reads one item of a list; may refuse a field of the wrong shape. */
    @FunctionalInterface
    private interface Item<T> {
        T read(ObjNode item) throws BadInputException;
    }

    private static <T> List<T> items(Src src, ObjNode c, String key, Item<T> item) throws BadInputException {
        List<T> out = new ArrayList<>();
        for (ObjNode o : Read.objects(src, c, key)) {
            out.add(item.read(o));
        }
        return out;
    }
}
