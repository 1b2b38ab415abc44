package dev.ward.taskdef;

import dev.ward.taskdef.source.ArrNode;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import dev.ward.taskdef.source.ValNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a terraform service refers to in the same plan or state: its task definition and the
 * {@code aws_security_group}s of its network_configuration, with their {@code ingress} blocks and every
 * {@code aws_security_group_rule} (type ingress) and {@code aws_vpc_security_group_ingress_rule} naming them. A state
 * holds the ids and ARNs, so they are matched by value; a plan knows them only after apply, so the references of
 * its {@code configuration} section ({@code aws_security_group.app.id}) are matched by address.
 */
final class TerraformLinks {
    static final String GROUP = "aws_security_group";
    static final String RULE = "aws_security_group_rule";
    static final String VPC_RULE = "aws_vpc_security_group_ingress_rule";

    private final Src src;
    private final Map<String, TaskDef> tasks = new LinkedHashMap<>();
    private final Map<String, String> taskByValue = new HashMap<>();
    private final Map<String, Loc> groups = new LinkedHashMap<>();
    private final Map<String, String> groupById = new HashMap<>();
    private final Map<String, List<SecurityGroup.Ingress>> ingress = new HashMap<>();
    private final Map<String, ObjNode> rules = new LinkedHashMap<>();
    private final Map<String, ObjNode> expressions = new HashMap<>();

    TerraformLinks(Src src) {
        this.src = src;
    }

    void task(String address, ObjNode values, TaskDef td) throws BadInputException {
        tasks.put(address, td);
        Read.scalar(src, values, "arn").flatMap(Field::literal).ifPresent(a -> taskByValue.put(a, address));
        Optional<String> family = td.family().flatMap(Field::literal);
        Optional<String> revision = td.revision().flatMap(Field::literal);
        if (family.isPresent() && revision.isPresent()) {
            taskByValue.put(family.get() + ":" + revision.get(), address);
        }
    }

    /** An aws_security_group (its ingress blocks), or one of the two ingress rule resources. */
    void resource(String type, String address, ObjNode values) throws BadInputException {
        if (!type.equals(GROUP)) {
            if (type.equals(VPC_RULE) || Read.scalar(src, values, "type").filter(t -> t.is("ingress")).isPresent()) {
                rules.put(address, values);
            }
            return;
        }
        groups.put(address, EcsReader.loc(values));
        Read.scalar(src, values, "id").flatMap(Field::literal).ifPresent(id -> groupById.put(id, address));
        List<SecurityGroup.Ingress> list = ingress.computeIfAbsent(address, k -> new ArrayList<>());
        for (ObjNode r : Read.objects(src, values, "ingress")) {
            list.add(rule(r));
        }
    }

    /** The {@code configuration} section of a plan: each resource's expressions, by address. */
    void configuration(ObjNode root) throws BadInputException {
        Optional<ObjNode> config = Read.object(src, root, "configuration");
        Optional<ObjNode> module = config.isPresent() ? Read.object(src, config.get(), "root_module") : Optional.empty();
        if (module.isPresent()) {
            configModule(module.get(), "");
        }
    }

    /** {@code s} (read from {@code values}) with what it refers to in this plan or state. */
    Service link(Service s, ObjNode values) throws BadInputException {
        Set<String> task = new LinkedHashSet<>(refs(s.label(), "task_definition"));
        Read.scalar(src, values, "task_definition").flatMap(Field::literal).map(taskByValue::get).ifPresent(task::add);
        Set<String> sgs = new LinkedHashSet<>(refs(s.label(), "network_configuration", "security_groups"));
        List<ObjNode> net = Read.objects(src, values, "network_configuration");
        if (!net.isEmpty()) {
            for (Field id : Read.strings(src, net.getFirst(), "security_groups")) {
                id.literal().map(groupById::get).ifPresent(sgs::add);
            }
        }
        List<SecurityGroup> out = new ArrayList<>();
        for (String g : groups.keySet()) {
            if (sgs.contains(g) || sgs.contains(unindexed(g))) {
                out.add(new SecurityGroup(g, groups.get(g), ingressOf(g)));
            }
        }
        Optional<TaskDef> td = tasks.keySet().stream().filter(a -> task.contains(a) || task.contains(unindexed(a)))
                .findFirst().map(tasks::get);
        return s.linked(td, out);
    }

    private List<SecurityGroup.Ingress> ingressOf(String group) throws BadInputException {
        List<SecurityGroup.Ingress> out = new ArrayList<>(ingress.getOrDefault(group, List.of()));
        for (Map.Entry<String, ObjNode> r : rules.entrySet()) {
            Set<String> target = new LinkedHashSet<>(refs(r.getKey(), "security_group_id"));
            Read.scalar(src, r.getValue(), "security_group_id").flatMap(Field::literal).map(groupById::get)
                    .ifPresent(target::add);
            if (target.contains(group) || target.contains(unindexed(group))) {
                out.add(rule(r.getValue()));
            }
        }
        return out;
    }

    /** An ingress block or rule resource; aws_vpc_security_group_ingress_rule names its fields differently. */
    private SecurityGroup.Ingress rule(ObjNode r) throws BadInputException {
        List<Field> cidrs = new ArrayList<>();
        for (String key : List.of("cidr_blocks", "ipv6_cidr_blocks")) {
            cidrs.addAll(Read.strings(src, r, key).stream().filter(f -> !f.isNull()).toList());
        }
        for (String key : List.of("cidr_ipv4", "cidr_ipv6")) {
            Read.scalar(src, r, key).filter(f -> !f.isNull()).ifPresent(cidrs::add);
        }
        Optional<Field> other = first(r, "security_groups");
        if (other.isEmpty()) {
            other = first(r, "prefix_list_ids");
        }
        for (String key : List.of("source_security_group_id", "referenced_security_group_id", "prefix_list_id")) {
            if (other.isEmpty()) {
                other = Read.scalar(src, r, key).filter(f -> !f.isNull());
            }
        }
        if (other.isEmpty()) {
            other = Read.scalar(src, r, "self").filter(Field::isTrue);
        }
        Optional<Field> protocol = Read.scalar(src, r, "protocol");
        if (protocol.isEmpty()) {
            protocol = Read.scalar(src, r, "ip_protocol");
        }
        return new SecurityGroup.Ingress(EcsReader.loc(r), protocol, Read.scalar(src, r, "from_port"),
                Read.scalar(src, r, "to_port"), cidrs, other);
    }

    private Optional<Field> first(ObjNode r, String key) throws BadInputException {
        for (Field f : Read.strings(src, r, key)) {
            if (!f.isNull()) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private void configModule(ObjNode module, String prefix) throws BadInputException {
        for (ObjNode r : Read.objects(src, module, "resources")) {
            Optional<String> address = Read.scalar(src, r, "address").flatMap(Field::literal);
            Optional<ObjNode> exprs = Read.object(src, r, "expressions");
            if (address.isPresent() && exprs.isPresent()) {
                expressions.put(prefix + address.get(), exprs.get());
            }
        }
        Optional<ObjNode> calls = Read.object(src, module, "module_calls");
        if (calls.isPresent()) {
            for (Map.Entry<String, Node> call : calls.get().members().entrySet()) {
                if (call.getValue() instanceof ObjNode c && c.obj("module").isPresent()) {
                    configModule(c.obj("module").get(), prefix + "module." + call.getKey() + ".");
                }
            }
        }
    }

    /**
     * The resource addresses an expression of {@code address} refers to: {@code path} names the attribute, through
     * nested blocks ({@code network_configuration}, {@code security_groups}); references are relative to the module.
     */
    private List<String> refs(String address, String... path) {
        String base = unindexed(address);
        Node n = expressions.get(base);
        for (String key : path) {
            if (n instanceof ArrNode a && !a.items().isEmpty()) {
                n = a.items().getFirst();
            }
            n = n instanceof ObjNode o ? o.members().get(key) : null;
        }
        if (!(n instanceof ObjNode o) || !(o.members().get("references") instanceof ArrNode refs)) {
            return List.of();
        }
        // A resource's address is its module's prefix and type.name; its references are relative to that module.
        String[] parts = base.split("\\.");
        String prefix = String.join(".", List.of(parts).subList(0, Math.max(0, parts.length - 2)));
        prefix = prefix.isEmpty() ? "" : prefix + ".";
        List<String> out = new ArrayList<>();
        for (Node ref : refs.items()) {
            if (ref instanceof ValNode v && v.value() instanceof String s) {
                out.add(prefix + s);
            }
        }
        return out;
    }

    /** {@code aws_security_group.app[0]} and {@code ...["a"]} are instances of {@code aws_security_group.app}. */
    private static String unindexed(String address) {
        return address.replaceAll("\\[[^]]*]", "");
    }
}
