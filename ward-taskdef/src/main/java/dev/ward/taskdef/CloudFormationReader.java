package dev.ward.taskdef;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads AWS::ECS::TaskDefinition and AWS::ECS::Service resources of a CloudFormation template, and links each service to
 * the task definition and security groups it names in the template ({@link CloudFormationLinks}).
 */
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
        CloudFormationLinks links = new CloudFormationLinks(src);
        Map<Integer, ObjNode> services = new HashMap<>();
        for (Map.Entry<String, Node> e : resources.get().members().entrySet()) {
            if (!(e.getValue() instanceof ObjNode r)) {
                continue;
            }
            String type = Read.scalar(src, r, "Type").flatMap(Field::literal).orElse("");
            if (!List.of(TASK_DEF, SERVICE, CloudFormationLinks.SECURITY_GROUP, CloudFormationLinks.INGRESS).contains(type)) {
                continue;
            }
            // A resource without Properties is all defaults: read it as an empty object at the resource.
            ObjNode props = Read.object(src, r, "Properties")
                    .orElse(new ObjNode(r.path() + ".Properties", r.pos(), null, Map.of()));
            switch (type) {
                case TASK_DEF -> {
                    TaskDef td = EcsReader.taskDef(src, props, Dialect.CLOUDFORMATION, e.getKey());
                    links.task(e.getKey(), td);
                    out.add(td);
                }
                case SERVICE -> {
                    services.put(out.size(), props);
                    out.add(EcsReader.service(src, props, Dialect.CLOUDFORMATION, e.getKey()));
                }
                case CloudFormationLinks.SECURITY_GROUP -> links.group(e.getKey(), props);
                default -> links.ingress(props);
            }
        }
        for (Map.Entry<Integer, ObjNode> s : services.entrySet()) {
            out.set(s.getKey(), links.link((Service) out.get(s.getKey()), s.getValue()));
        }
        return out;
    }
}
