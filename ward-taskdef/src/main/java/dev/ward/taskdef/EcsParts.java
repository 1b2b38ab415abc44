package dev.ward.taskdef;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.ObjNode;
import java.util.ArrayList;
import java.util.List;

/** The lists of a container definition that name other things: ports, mounts, volumesFrom and dependsOn. */
final class EcsParts {
    private EcsParts() {
    }

    static List<Container.PortMapping> portMappings(Src src, ObjNode c) throws BadInputException {
        List<Container.PortMapping> out = new ArrayList<>();
        for (ObjNode p : Read.objects(src, c, "portMappings")) {
            out.add(new Container.PortMapping(EcsReader.loc(p), Read.scalar(src, p, "containerPort"),
                    Read.scalar(src, p, "hostPort"), Read.scalar(src, p, "protocol"),
                    p.get("containerPortRange").map(EcsReader::loc)));
        }
        return out;
    }

    static List<Container.MountPoint> mountPoints(Src src, ObjNode c) throws BadInputException {
        List<Container.MountPoint> out = new ArrayList<>();
        for (ObjNode m : Read.objects(src, c, "mountPoints")) {
            out.add(new Container.MountPoint(EcsReader.loc(m), Read.scalar(src, m, "sourceVolume"),
                    Read.scalar(src, m, "containerPath"), Read.scalar(src, m, "readOnly")));
        }
        return out;
    }

    static List<Container.VolumeFrom> volumesFrom(Src src, ObjNode c) throws BadInputException {
        List<Container.VolumeFrom> out = new ArrayList<>();
        for (ObjNode v : Read.objects(src, c, "volumesFrom")) {
            out.add(new Container.VolumeFrom(EcsReader.loc(v), Read.scalar(src, v, "sourceContainer"),
                    Read.scalar(src, v, "readOnly")));
        }
        return out;
    }

    static List<Container.Dependency> dependsOn(Src src, ObjNode c) throws BadInputException {
        List<Container.Dependency> out = new ArrayList<>();
        for (ObjNode d : Read.objects(src, c, "dependsOn")) {
            out.add(new Container.Dependency(EcsReader.loc(d), Read.scalar(src, d, "containerName"),
                    Read.scalar(src, d, "condition")));
        }
        return out;
    }
}
