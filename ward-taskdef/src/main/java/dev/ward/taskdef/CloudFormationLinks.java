package dev.ward.taskdef;

import dev.ward.taskdef.source.ArrNode;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.Intrinsics;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import dev.ward.taskdef.source.ValNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a CloudFormation service refers to inside its template: the task definition its {@code TaskDefinition}
 * names with {@code !Ref}, and the {@code AWS::EC2::SecurityGroup} resources its awsvpcConfiguration's
 * {@code SecurityGroups} name with {@code !Ref} or {@code !GetAtt X.GroupId}, with their inline
 * {@code SecurityGroupIngress} and every {@code AWS::EC2::SecurityGroupIngress} whose {@code GroupId} names them.
 * Resources may come in any order, so everything is collected first and services are linked at the end.
 */
final class CloudFormationLinks {
    static final String SECURITY_GROUP = "AWS::EC2::SecurityGroup";
    static final String INGRESS = "AWS::EC2::SecurityGroupIngress";

    private final Src src;
    private final Map<String, TaskDef> tasks = new HashMap<>();
    private final Map<String, Loc> groups = new HashMap<>();
    private final Map<String, List<SecurityGroup.Ingress>> ingress = new LinkedHashMap<>();

    CloudFormationLinks(Src src) {
        this.src = src;
    }

    void task(String id, TaskDef td) {
        tasks.put(id, td);
    }

    /** An AWS::EC2::SecurityGroup and its inline rules. */
    void group(String id, ObjNode props) throws BadInputException {
        groups.put(id, EcsReader.loc(props));
        List<SecurityGroup.Ingress> rules = ingress.computeIfAbsent(id, k -> new ArrayList<>());
        for (ObjNode r : Read.objects(src, props, "SecurityGroupIngress")) {
            rules.add(rule(r));
        }
    }

    /** An AWS::EC2::SecurityGroupIngress: kept when its GroupId names a group of the template. */
    void ingress(ObjNode props) throws BadInputException {
        Optional<String> group = src.get(props, "GroupId").flatMap(CloudFormationLinks::target);
        if (group.isPresent()) {
            ingress.computeIfAbsent(group.get(), k -> new ArrayList<>()).add(rule(props));
        }
    }

    /** {@code s} with what its properties {@code props} refer to in this template. */
    Service link(Service s, ObjNode props) throws BadInputException {
        Optional<TaskDef> task = src.get(props, "TaskDefinition").flatMap(CloudFormationLinks::target)
                .map(tasks::get);
        List<SecurityGroup> sgs = new ArrayList<>();
        Optional<ObjNode> net = Read.object(src, props, "NetworkConfiguration");
        Optional<ObjNode> vpc = net.isPresent() ? Read.object(src, net.get(), "AwsvpcConfiguration") : Optional.empty();
        if (vpc.isPresent()) {
            for (Node n : Read.list(src, vpc.get(), "SecurityGroups")) {
                Optional<String> id = target(n).filter(groups::containsKey);
                if (id.isPresent()) {
                    sgs.add(new SecurityGroup(id.get(), groups.get(id.get()), ingress.get(id.get())));
                }
            }
        }
        return s.linked(task, sgs);
    }

    private SecurityGroup.Ingress rule(ObjNode r) throws BadInputException {
        List<Field> cidrs = new ArrayList<>();
        Read.scalar(src, r, "CidrIp").ifPresent(cidrs::add);
        Read.scalar(src, r, "CidrIpv6").ifPresent(cidrs::add);
        Optional<Field> other = Read.scalar(src, r, "SourceSecurityGroupId");
        if (other.isEmpty()) {
            other = Read.scalar(src, r, "SourceSecurityGroupName");
        }
        if (other.isEmpty()) {
            other = Read.scalar(src, r, "SourcePrefixListId");
        }
        return new SecurityGroup.Ingress(EcsReader.loc(r), Read.scalar(src, r, "IpProtocol"),
                Read.scalar(src, r, "FromPort"), Read.scalar(src, r, "ToPort"), cidrs, other);
    }

    /**
     * The logical id an intrinsic names: {@code !Ref X}, {@code {"Ref": "X"}}, {@code !GetAtt X.Attr},
     * {@code !GetAtt [X, Attr]} or {@code {"Fn::GetAtt": ...}}; empty for anything else.
     */
    static Optional<String> target(Node n) {
        String fn;
        Node arg;
        if (Intrinsics.isShortTag(n.tag())) {
            fn = Intrinsics.longName(n.tag());
            arg = n;
        } else if (n.tag() == null && n instanceof ObjNode o && n.intrinsic()) {
            Map.Entry<String, Node> e = o.members().entrySet().iterator().next();
            fn = e.getKey();
            arg = e.getValue();
        } else {
            return Optional.empty();
        }
        if (arg instanceof ValNode v && v.value() instanceof String s) {
            return switch (fn) {
                case "Ref" -> Optional.of(s);
                case "Fn::GetAtt" -> s.indexOf('.') > 0 ? Optional.of(s.substring(0, s.indexOf('.'))) : Optional.empty();
                default -> Optional.empty();
            };
        }
        if (fn.equals("Fn::GetAtt") && arg instanceof ArrNode a && !a.items().isEmpty()
                && a.items().getFirst() instanceof ValNode v && v.value() instanceof String s) {
            return Optional.of(s);
        }
        return Optional.empty();
    }
}
