package dev.ward.taskdef;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads AWS::ECS::TaskDefinition and AWS::ECS::Service resources of a CloudFormation template. */
public final class CloudFormationReader {
    /** The resource type of a task definition (ward inject rewrites the resources of this type). */
    public static final String TASK_DEF = "AWS::ECS::TaskDefinition";
    static final String SERVICE = "AWS::ECS::Service";

    private CloudFormationReader() {
    }

    static boolean looksLike(ObjNode root) {
        return root.has("AWSTemplateFormatVersion") || root.obj("Resources").isPresent();
    }

    static List<Resource> read(Src src, ObjNode root) throws BadInputException {
        List<Resource> out = new ArrayList<>();
        Optional<ObjNode> resources = Read.object(src, root, "Resources");
        if (resources.isEmpty()) {
            return out;
        }
        for (Map.Entry<String, Node> e : resources.get().members().entrySet()) {
            if (!(e.getValue() instanceof ObjNode r)) {
                continue;
            }
            String type = Read.scalar(src, r, "Type").flatMap(Field::literal).orElse("");
            if (!type.equals(TASK_DEF) && !type.equals(SERVICE)) {
                continue;
            }
            // A resource without Properties is all defaults: read it as an empty object at the resource.
            ObjNode props = Read.object(src, r, "Properties")
                    .orElse(new ObjNode(r.path() + ".Properties", r.pos(), null, Map.of()));
            out.add(type.equals(TASK_DEF)
                    ? EcsReader.taskDef(src, props, Dialect.CLOUDFORMATION, e.getKey())
                    : EcsReader.service(src, props, Dialect.CLOUDFORMATION, e.getKey()));
        }
        return out;
    }
}
