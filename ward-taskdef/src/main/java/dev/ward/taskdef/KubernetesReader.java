package dev.ward.taskdef;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.ObjNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes manifests (the EKS Fargate input {@code ward inject} also takes): each pod template of a Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod read as a task whose containers are the pod's, so that
 * the rules about containers apply to it. Field by field: {@code securityContext.runAsUser} (the container's, else
 * the pod's; {@code runAsNonRoot: true} counts as a non-root user) is {@code user}; init containers are
 * non-essential containers; {@code securityContext}'s
 * {@code privileged}, {@code readOnlyRootFilesystem} and {@code capabilities.add} are ECS's fields of those names;
 * a liveness or readiness probe is the health check; {@code command}/{@code args} are entryPoint/command;
 * {@code env} values are the environment and {@code valueFrom} entries the secrets; {@code hostNetwork},
 * {@code hostPID} and {@code hostIPC} are the host namespace modes. Rules about ECS alone (log configuration,
 * roles, EFS, services, Fargate platform versions) do not apply: {@link #RULES} lists those that do.
 */
public final class KubernetesReader {
    /** The rules that apply to a pod spec, by id. */
    public static final Set<String> RULES = Set.of("WARD-ECS-001", "WARD-ECS-002", "WARD-ECS-003", "WARD-ECS-004",
            "WARD-ECS-005", "WARD-ECS-006", "WARD-ECS-007", "WARD-ECS-008", "WARD-ECS-009", "WARD-ECS-010",
            "WARD-ECS-011", "WARD-ECS-013", "WARD-ECS-014", "WARD-ECS-015", "WARD-ECS-016", "WARD-ECS-019",
            "WARD-ECS-024");
    private static final Set<String> WORKLOADS = Set.of("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
            "Job", "CronJob");

    private KubernetesReader() {
    }

    /**
     * Where an object of {@code kind} keeps its pod spec, as the keys leading to it ({@code spec} for a Pod,
     * {@code spec.jobTemplate.spec.template.spec} for a CronJob, {@code spec.template.spec} for the other workloads);
     * empty for kinds that hold no pod template. ward inject finds the pods it rewrites by the same keys.
     */
    public static Optional<List<String>> podSpec(String kind) {
        if (!WORKLOADS.contains(kind)) {
            return Optional.empty();
        }
        return Optional.of(switch (kind) {
            case "Pod" -> List.of("spec");
            case "CronJob" -> List.of("spec", "jobTemplate", "spec", "template", "spec");
            default -> List.of("spec", "template", "spec");
        });
    }

    /** Whether {@code o} is a Kubernetes object (apiVersion and kind). */
    public static boolean looksLike(ObjNode o) {
        return o.has("apiVersion") && o.has("kind");
    }

    /** The pod templates of {@code docs} (a List's items included); other kinds are skipped. */
    public static List<Resource> read(Src src, List<Node> docs) throws BadInputException {
        List<Resource> out = new ArrayList<>();
        for (Node d : docs) {
            if (d instanceof ObjNode o) {
                add(src, o, out);
                if (text(o, "kind").equals("List")) {
                    for (ObjNode item : Read.objects(src, o, "items")) {
                        add(src, item, out);
                    }
                }
            }
        }
        return out;
    }

    private static void add(Src src, ObjNode o, List<Resource> out) throws BadInputException {
        String kind = text(o, "kind");
        Optional<List<String>> where = podSpec(kind);
        if (where.isEmpty()) {
            return;
        }
        Optional<ObjNode> pod = path(o, where.get().toArray(String[]::new));
        if (pod.isEmpty()) {
            return;
        }
        String name = path(o, "metadata").map(m -> text(m, "name")).orElse("");
        out.add(pod(src, pod.get(), kind + "/" + (name.isEmpty() ? "?" : name)));
    }

    private static TaskDef pod(Src src, ObjNode pod, String label) throws BadInputException {
        Optional<ObjNode> podContext = Read.object(src, pod, "securityContext");
        List<Container> containers = new ArrayList<>();
        for (ObjNode c : Read.objects(src, pod, "containers")) {
            containers.add(container(src, c, containers.size(), podContext, Optional.empty()));
        }
        for (ObjNode c : Read.objects(src, pod, "initContainers")) {
            // they run before the others and exit: like ECS's non-essential containers
            Field notEssential = new Field(c.path(), c.pos(), "false", false, null);
            containers.add(container(src, c, containers.size(), podContext, Optional.of(notEssential)));
        }
        return new TaskDef(src.file(), label, new Loc(pod.path(), pod.pos()), Dialect.KUBERNETES,
                host(src, pod, "hostNetwork"), host(src, pod, "hostPID"), host(src, pod, "hostIPC"),
                Optional.empty(), Optional.empty(), Optional.empty(), false, containers, List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Container container(Src src, ObjNode c, int index, Optional<ObjNode> podContext,
                                       Optional<Field> essential) throws BadInputException {
        Optional<Field> name = Read.scalar(src, c, "name");
        Loc loc = new Loc(c.path(), name.map(Field::pos).orElse(c.pos()));
        Optional<ObjNode> sc = Read.object(src, c, "securityContext");
        Optional<Field> user = user(src, sc);
        if (user.isEmpty()) {
            user = user(src, podContext);
        }
        List<Field> capAdd = List.of();
        Optional<ObjNode> caps = sc.isPresent() ? Read.object(src, sc.get(), "capabilities") : Optional.empty();
        if (caps.isPresent()) {
            capAdd = Read.strings(src, caps.get(), "add");
        }
        Optional<Container.HealthCheck> probe = c.get("livenessProbe").or(() -> c.get("readinessProbe"))
                .filter(n -> !Read.isNull(n)).map(n -> new Container.HealthCheck(new Loc(n.path(), n.pos()), List.of(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        List<EnvVar> env = new ArrayList<>();
        List<EnvVar> secrets = new ArrayList<>();
        for (ObjNode e : Read.objects(src, c, "env")) {
            Optional<Field> n = Read.scalar(src, e, "name");
            if (n.isEmpty()) {
                throw src.shape(e, "an item of \"env\" has no \"name\" (expected {name: ..., value: ...})");
            }
            if (e.has("valueFrom")) {
                Optional<ObjNode> from = Read.object(src, e, "valueFrom");
                secrets.add(new EnvVar(n.get(), from.map(f -> new Field(f.path(), f.pos(), "valueFrom", false, null))));
            } else {
                env.add(new EnvVar(n.get(), Read.scalar(src, e, "value")));
            }
        }
        return new Container(index, name.map(Field::shown).orElse("#" + index), name, loc, Dialect.KUBERNETES,
                Read.scalar(src, c, "image"), user, Optional.empty(), scalar(src, sc, "privileged"),
                scalar(src, sc, "readOnlyRootFilesystem"), essential,
                new Container.LinuxParameters(capAdd, List.of(), Optional.empty(), List.of()), Optional.empty(),
                Optional.empty(), probe, env, List.of(), secrets, Read.strings(src, c, "command"),
                Read.strings(src, c, "args"), List.of(), List.of(), List.of(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** runAsUser, else runAsNonRoot: true (the kubelet refuses to start the container as root). */
    private static Optional<Field> user(Src src, Optional<ObjNode> sc) throws BadInputException {
        Optional<Field> uid = scalar(src, sc, "runAsUser");
        if (uid.isPresent()) {
            return uid;
        }
        Optional<Field> nonRoot = scalar(src, sc, "runAsNonRoot").filter(Field::isTrue);
        return nonRoot.map(f -> new Field(f.path(), f.pos(), "non-root (runAsNonRoot)", false, null));
    }

    /** hostNetwork: true and its kin, read as ECS's mode "host" at the same place. */
    private static Optional<Field> host(Src src, ObjNode pod, String key) throws BadInputException {
        return Read.scalar(src, pod, key).filter(Field::isTrue).map(f -> new Field(f.path(), f.pos(), "host", false, null));
    }

    private static Optional<Field> scalar(Src src, Optional<ObjNode> o, String key) throws BadInputException {
        return o.isPresent() ? Read.scalar(src, o.get(), key) : Optional.empty();
    }

    private static Optional<ObjNode> path(ObjNode o, String... keys) {
        Optional<ObjNode> cur = Optional.of(o);
        for (String k : keys) {
            cur = cur.flatMap(n -> n.obj(k));
        }
        return cur;
    }

    private static String text(ObjNode o, String key) {
        return o.get(key).flatMap(Field::of).map(Field::shown).orElse("");
    }
}
