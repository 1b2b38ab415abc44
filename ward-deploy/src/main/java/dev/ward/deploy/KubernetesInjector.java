package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.api.Entrypoint;
import dev.ward.registry.ImageConfigSource;
import dev.ward.registry.Platform;
import dev.ward.taskdef.KubernetesReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Rewrites Kubernetes manifests (EKS Fargate): each pod template of a Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, Job, CronJob or Pod gets an init container that copies the agent bundle into an emptyDir
 * ({@code install --to /ward-volume}), the volume mounted read-only at /ward in the protected containers, and
 * their {@code command} set to the agent followed by the original argv ({@code args} removed). Other documents
 * pass through. Kubernetes' rules for the argv: {@code command} replaces the image's ENTRYPOINT, {@code args} its
 * CMD; with {@code command} and no {@code args} the image's CMD is not used.
 *
 * <p>Comments, order of keys, quoting and layout are kept: only what changes is rewritten.
 */
public final class KubernetesInjector {
    static final String VOLUME = "ward";
    static final String INIT = "ward-install";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InjectOptions options;
    private final ImageConfigSource images;
    private final List<String> notes = new ArrayList<>();
    /** The pod's platform: its nodeSelector kubernetes.io/arch, else linux/amd64. */
    private Platform platform = Platform.LINUX_AMD64;
    private final java.util.Set<String> seen = new java.util.LinkedHashSet<>();
    /** The agent image as written into init containers (pinned to its digest where possible), once per platform. */
    private final Map<Platform, String> agentImages = new HashMap<>();

    public KubernetesInjector(InjectOptions options, ImageConfigSource images) {
        this.options = options;
        this.images = images;
    }

    public List<String> notes() {
        return notes;
    }

    /** Multi-document YAML: comments, quoting and layout are kept (see {@link YamlNodes}). */
    public String inject(String source, String text) throws InjectException {
        checkOptions();
        List<Node> nodes = YamlNodes.compose(source, text);
        List<JsonNode> before = new ArrayList<>();
        List<Object> docs = new ArrayList<>();
        for (Node n : nodes) {
            JsonNode j = YamlNodes.toJson(n, false);
            before.add(j);
            docs.add(JSON.convertValue(j, Object.class));
        }
        injectDocs(docs);
        List<Node> merged = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode after = JSON.valueToTree(docs.get(i));
            Node m = YamlNodes.merge(nodes.get(i), before.get(i), after, false);
            YamlNodes.check(m, after, false);
            merged.add(m);
        }
        return YamlNodes.write(merged, text);
    }

    /** A manifest in JSON (one object, possibly a List with items). */
    public JsonNode injectJson(JsonNode doc) throws InjectException {
        checkOptions();
        List<Object> docs = new ArrayList<>();
        docs.add(JSON.convertValue(doc, Object.class));
        injectDocs(docs);
        return JSON.valueToTree(docs.getFirst());
    }

    /** The pod's mesh identity is Istio's: its namespace and service account, unless --mesh-identity says. */
    private void meshIdentity(String owner, Map<String, Object> doc, Map<String, Object> pod) {
        InjectOptions.Mesh mesh = options.mesh();
        Object ns = path(doc, "metadata", "namespace");
        Object sa = pod.get("serviceAccountName");
        notes.add(owner + ": " + MeshInjection.identityNote(mesh,
                mesh.namespace() != null ? mesh.namespace() : ns instanceof String s ? s : "default",
                mesh.serviceAccount() != null ? mesh.serviceAccount() : sa instanceof String s ? s : "default",
                null));
    }

    private void checkOptions() throws InjectException {
        String meshToken = options.mesh() == null ? null : options.mesh().tokenSecret();
        if (meshToken != null && !meshToken.matches("[a-z0-9.-]+/[-._A-Za-z0-9]+")) {
            throw new InjectException("--mesh-token-secret " + meshToken + ": for Kubernetes give SECRET/KEY (a Secret "
                    + "in the pod's namespace and its key)");
        }
        if (options.relayTokenSecret() != null && !options.relayTokenSecret().matches("[a-z0-9.-]+/[-._A-Za-z0-9]+")) {
            throw new InjectException("--relay-token-secret " + options.relayTokenSecret() + ": for Kubernetes give "
                    + "SECRET/KEY (a Secret in the pod's namespace and its key)");
        }
    }

    private void injectDocs(List<Object> docs) throws InjectException {
        int protectedPods = 0;
        List<Object> all = new ArrayList<>();
        for (Object d : docs) {
            all.add(d);
            if (d instanceof Map<?, ?> m && "List".equals(m.get("kind")) && m.get("items") instanceof List<?> items) {
                all.addAll(items);
            }
        }
        for (Object d : all) {
            if (!(d instanceof Map<?, ?> m)) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) m;
            String kind = String.valueOf(doc.get("kind"));
            String name = kind + "/" + path(doc, "metadata", "name");
            // the workloads and where their pod specs are: ward-taskdef's, as ward check reads them
            Map<String, Object> pod = KubernetesReader.podSpec(kind).map(keys -> map(path(doc, keys.toArray(String[]::new))))
                    .orElse(null);
            if (pod == null) {
                continue;
            }
            if (protectPod(name, pod)) {
                PodIdentity.volume(pod);
                protectedPods++;
                if (options.mesh() != null) {
                    meshIdentity(name, doc, pod);
                }
            }
        }
        for (String wanted : options.containers()) {
            if (!seen.contains(wanted)) {
                throw new InjectException("--container " + wanted + ": no such container (the manifests have "
                        + String.join(", ", seen) + ")");
            }
        }
        if (protectedPods == 0 && notes.isEmpty()) {
            notes.add("no pod template to protect (kinds: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod)");
        }
    }

    private boolean protectPod(String owner, Map<String, Object> pod) throws InjectException {
        List<String> others = PodAgents.remove(pod);
        if (!others.isEmpty() && !options.replaceAgents()) {
            throw InjectException.refused(owner + ": " + ForeignAgents.refusal(others));
        }
        others.forEach(o -> notes.add(owner + ": removed another agent: " + o));
        List<Map<String, Object>> containers = list(pod, "containers");
        boolean any = false;
        boolean meshed = false;
        Long podUser = number(path(pod, "securityContext", "runAsUser"));
        Object arch = path(pod, "nodeSelector", "kubernetes.io/arch");
        platform = arch instanceof String a ? new Platform("linux", a, null) : Platform.LINUX_AMD64;
        for (Map<String, Object> c : containers) {
            String name = String.valueOf(c.get("name"));
            seen.add(name);
            if (!options.containers().isEmpty() && !options.containers().contains(name)) {
                continue;
            }
            Object command = c.get("command");
            if (command instanceof List<?> l && Entrypoint.startsAgent(l.stream().map(String::valueOf).toList())) {
                List<String> change = new ArrayList<>();
                if (options.mesh() != null) {
                    MeshInjection.kubernetes(options.mesh(), list(c, "env"), list(c, "ports"), change);
                    meshed = true;
                }
                notes.add(owner + " container " + name + ": already protected, " + (change.isEmpty() ? "unchanged"
                        : String.join("; ", change)));
                continue;
            }
            protect(owner, c, podUser);
            any = true;
        }
        if (!any) {
            return meshed;
        }
        if (options.mode() == InjectOptions.Mode.SIDECAR) {
            List<Map<String, Object>> inits = list(pod, "initContainers");
            Map<String, Object> init = new LinkedHashMap<>();
            init.put("name", INIT);
            String agentImage = agentImages.get(platform);
            if (agentImage == null) {
                agentImage = AgentImages.pinned(options.agentImage(), images, platform, notes);
                agentImages.put(platform, agentImage);
            }
            init.put("image", agentImage);
            List<String> cmd = new ArrayList<>(EcsInjector.PREFIX);
            cmd.addAll(List.of("install", "--to", "/ward-volume"));
            init.put("command", cmd);
            init.put("volumeMounts", new ArrayList<>(List.of(mapOf("name", VOLUME, "mountPath", "/ward-volume"))));
            // it only copies its own world-readable files into the emptyDir (created 0777): nobody, read-only root
            init.put("securityContext", mapOf("runAsUser", 65534, "runAsGroup", 65534, "runAsNonRoot", true,
                    "readOnlyRootFilesystem", true, "allowPrivilegeEscalation", false));
            List<Map<String, Object>> volumes = list(pod, "volumes");
            // a second run that protects one more container of the pod reuses what the first one added
            if (volumes.stream().noneMatch(v -> VOLUME.equals(v.get("name")))) {
                volumes.add(mapOf("name", VOLUME, "emptyDir", new LinkedHashMap<>()));
            }
            if (inits.stream().anyMatch(i -> INIT.equals(i.get("name")))) {
                return true;
            }
            inits.add(init);
            notes.add(owner + ": init container " + INIT + " (" + agentImage + ") copies the agent into emptyDir "
                    + VOLUME);
        }
        return true;
    }

    private void protect(String owner, Map<String, Object> c, Long podUser) throws InjectException {
        String name = String.valueOf(c.get("name"));
        String where = owner + " container " + name;
        String embedded = options.embeddedImages().get(name);
        boolean sidecar = options.mode() == InjectOptions.Mode.SIDECAR;
        if (!sidecar && embedded == null) {
            throw new InjectException(where + ": --mode embedded needs --embedded-image " + name + "=IMAGE");
        }
        Long user = number(path(c, "securityContext", "runAsUser"));
        if (user == null) {
            user = podUser;
        }
        List<String> command = strings(where, c, "command");
        List<String> args = strings(where, c, "args");
        ProtectionPlan plan = ProtectionPlan.of(new ProtectionPlan.Container(where,
                c.get("image") == null ? "" : String.valueOf(c.get("image")), command, args,
                c.containsKey("command") || c.containsKey("args"), user == null ? null : Long.toString(user), platform,
                "no command in the manifest", "neither the manifest nor the image sets one"), options, images, notes);
        List<String> change = new ArrayList<>();
        if (plan.argv() != null) {
            c.put("command", new ArrayList<>(plan.wardEntrypoint()));
            c.remove("args");
            change.add("command = Ward + " + plan.argv());
        }
        if (!sidecar) {
            c.put("image", embedded);
            change.add("image = " + embedded);
        } else {
            list(c, "volumeMounts").add(mapOf("name", VOLUME, "mountPath", "/ward", "readOnly", true));
        }
        AgentSettings.kubernetes(options, list(c, "env"), name, change);
        PodIdentity.container(c, list(c, "env"));
        if (options.mesh() != null) {
            if (options.relay() == null) {
                throw new InjectException(where + ": --mesh needs the relay (its CA issues the mesh identities): give "
                        + "--relay HOST:PORT");
            }
            MeshInjection.kubernetes(options.mesh(), list(c, "env"), list(c, "ports"), change);
        }
        if (plan.root()) {
            Map<String, Object> sc = child(c, "securityContext");
            Map<String, Object> caps = child(sc, "capabilities");
            @SuppressWarnings("unchecked")
            List<Object> add = (List<Object>) caps.computeIfAbsent("add", k -> new ArrayList<>());
            if (!add.contains("SYS_PTRACE")) {
                add.add("SYS_PTRACE");
                change.add("capability SYS_PTRACE");
            }
            change.add("the agent runs as root (SYS_PTRACE lets it read workload processes that change user)");
        } else {
            change.add("runs as " + (user != null ? "uid " + user : "the image's user " + plan.user())
                    + ": the agent too (no sudo; tracing its own children needs no capability), no capability added");
        }
        notes.add(where + ": " + String.join("; ", change));
    }

    private static List<String> strings(String where, Map<String, Object> c, String field) throws InjectException {
        Object v = c.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> l)) {
            throw new InjectException(where + ": " + field + ": expected a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    private static Object path(Map<?, ?> m, String... keys) {
        Object cur = m;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> mm)) {
                return null;
            }
            cur = mm.get(k);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Map<?, ?>)) {
            v = new LinkedHashMap<String, Object>();
            m.put(key, v);
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof List<?>)) {
            v = new ArrayList<Map<String, Object>>();
            m.put(key, v);
        }
        return (List<Map<String, Object>>) v;
    }

    private static Long number(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
