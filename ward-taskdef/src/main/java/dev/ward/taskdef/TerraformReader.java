package dev.ward.taskdef;

import dev.ward.taskdef.source.ArrNode;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.JsonSource;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import dev.ward.taskdef.source.ValNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code terraform show -json} output: a plan ({@code planned_values}) or a state
 * ({@code values}). Resources sit in {@code root_module.resources[]} and, recursively, in
 * {@code child_modules[]}; each has {@code type}, {@code address} and {@code values}. Nested blocks are
 * lists of objects, and {@code container_definitions} is a JSON string holding the ECS API's list. Services are linked
 * to their task definitions and security groups by {@link TerraformLinks}.
 */
public final class TerraformReader {
    static final String TASK_DEF = "aws_ecs_task_definition";
    static final String SERVICE = "aws_ecs_service";

    private TerraformReader() {
    }

    static boolean looksLike(ObjNode root) {
        return root.has("format_version") && (root.has("planned_values") || root.has("values"));
    }

    static List<Resource> read(Src src, ObjNode root) throws BadInputException {
        List<Resource> out = new ArrayList<>();
        Optional<ObjNode> values = Read.object(src, root, "planned_values");
        if (values.isEmpty()) {
            values = Read.object(src, root, "values");
        }
        TerraformLinks links = new TerraformLinks(src);
        Map<Integer, ObjNode> services = new HashMap<>();
        if (values.isPresent()) {
            Optional<ObjNode> module = Read.object(src, values.get(), "root_module");
            if (module.isPresent()) {
                module(src, module.get(), out, links, services);
            }
        }
        if (!services.isEmpty()) {
            links.configuration(root);
            for (Map.Entry<Integer, ObjNode> s : services.entrySet()) {
                out.set(s.getKey(), links.link((Service) out.get(s.getKey()), s.getValue()));
            }
        }
        return out;
    }

    private static void module(Src src, ObjNode module, List<Resource> out, TerraformLinks links,
                               Map<Integer, ObjNode> services) throws BadInputException {
        for (ObjNode r : Read.objects(src, module, "resources")) {
            String type = Read.scalar(src, r, "type").flatMap(Field::literal).orElse("");
            String mode = Read.scalar(src, r, "mode").flatMap(Field::literal).orElse("managed");
            Optional<ObjNode> values = Read.object(src, r, "values");
            if (!mode.equals("managed") || values.isEmpty()) {
                continue;
            }
            String address = Read.scalar(src, r, "address").flatMap(Field::literal).orElse(type);
            switch (type) {
                case TASK_DEF -> {
                    TaskDef td = taskDef(src, values.get(), address);
                    links.task(address, values.get(), td);
                    out.add(td);
                }
                case SERVICE -> {
                    services.put(out.size(), values.get());
                    out.add(service(src, values.get(), address));
                }
                case TerraformLinks.GROUP, TerraformLinks.RULE, TerraformLinks.VPC_RULE ->
                        links.resource(type, address, values.get());
                default -> {
                }
            }
        }
        for (ObjNode child : Read.objects(src, module, "child_modules")) {
            module(src, child, out, links, services);
        }
    }

    private static TaskDef taskDef(Src src, ObjNode v, String address) throws BadInputException {
        List<Container> containers = new ArrayList<>();
        Optional<Node> defs = v.get("container_definitions");
        if (defs.isPresent() && defs.get() instanceof ValNode s && s.value() instanceof String json) {
            // The embedded JSON has no lines of its own in the file: every node points at the string.
            Node parsed = JsonSource.parse(json, src.file(), s.path(), s.pos());
            if (!(parsed instanceof ArrNode list)) {
                throw src.shape(s, "container_definitions holds " + Read.describe(parsed) + " (expected a JSON list of containers)");
            }
            Src inner = new Src(src.file(), null);
            for (Node c : list.items()) {
                if (!(c instanceof ObjNode obj)) {
                    throw src.shape(s, "container_definitions holds a non-object item (expected container objects)");
                }
                containers.add(EcsReader.container(inner, obj, containers.size(), Dialect.ECS));
            }
        }
        List<Volume> volumes = new ArrayList<>();
        for (ObjNode vol : Read.objects(src, v, "volume")) {
            Optional<ObjNode> efs = first(src, vol, "efs_volume_configuration");
            Optional<Field> transit = efs.isPresent() ? Read.scalar(src, efs.get(), "transit_encryption") : Optional.empty();
            String name = Read.scalar(src, vol, "name").flatMap(Field::literal).orElse("#" + volumes.size());
            volumes.add(new Volume(name, new Loc(vol.path(), vol.pos()), efs.map(e -> new Loc(e.path(), e.pos())), transit,
                    Read.scalar(src, vol, "name"), Read.scalar(src, vol, "host_path"), Optional.empty(), Read.scalar(src, vol, "configure_at_launch")));
        }
        Optional<ObjNode> platform = first(src, v, "runtime_platform");
        Optional<Field> os = platform.isPresent() ? Read.scalar(src, platform.get(), "operating_system_family") : Optional.empty();
        Optional<Field> arch = platform.isPresent() ? Read.scalar(src, platform.get(), "cpu_architecture") : Optional.empty();
        boolean fargate = false;
        for (Field f : Read.strings(src, v, "requires_compatibilities")) {
            fargate |= f.is("FARGATE");
        }
        return new TaskDef(src.file(), address, new Loc(v.path(), v.pos()), Dialect.TERRAFORM,
                Read.scalar(src, v, "network_mode"), Read.scalar(src, v, "pid_mode"), Read.scalar(src, v, "ipc_mode"),
                Read.scalar(src, v, "execution_role_arn"), Read.scalar(src, v, "task_role_arn"), os,
                fargate, containers, volumes, Read.scalar(src, v, "family"), Read.scalar(src, v, "revision"),
                Read.scalar(src, v, "cpu"), Read.scalar(src, v, "memory"), arch);
    }

    private static Service service(Src src, ObjNode v, String address) throws BadInputException {
        Optional<ObjNode> net = first(src, v, "network_configuration");
        Optional<Field> publicIp = net.isPresent() ? Read.scalar(src, net.get(), "assign_public_ip") : Optional.empty();
        return new Service(src.file(), address, new Loc(v.path(), v.pos()), Dialect.TERRAFORM, publicIp,
                Read.scalar(src, v, "enable_execute_command"), Read.scalar(src, v, "platform_version"),
                Read.scalar(src, v, "launch_type"), Optional.empty(), List.of());
    }

    /** A nested block: terraform writes {@code block {}} as a list of one object. */
    private static Optional<ObjNode> first(Src src, ObjNode o, String key) throws BadInputException {
        List<ObjNode> items = Read.objects(src, o, key);
        return items.isEmpty() ? Optional.empty() : Optional.of(items.getFirst());
    }
}
