package dev.ward.deploy;

import dev.ward.api.PodInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a protected Kubernetes container gets so that its events say which pod they come from (docs/inject.md): the
 * downward API's namespace, pod name, pod UID, node name and service account as {@link PodInfo}'s variables, the
 * container's image, and the pod's labels in a projected downwardAPI volume ({@value #VOLUME}) mounted read-only
 * where the agent reads them ({@link PodInfo#DEFAULT_LABELS_FILE}). What the manifest already sets is kept, so a
 * second run changes nothing.
 */
final class PodIdentity {
    static final String VOLUME = "ward-podinfo";
    static final String MOUNT = "/etc/ward/podinfo";

    private PodIdentity() {
    }

    /** The variables and the mount, for container {@code c} (its {@code image} as it will run). */
    static void container(Map<String, Object> c, List<Map<String, Object>> env) {
        field(env, PodInfo.NAMESPACE, "metadata.namespace");
        field(env, PodInfo.NAME, "metadata.name");
        field(env, PodInfo.UID, "metadata.uid");
        field(env, PodInfo.NODE, "spec.nodeName");
        field(env, PodInfo.SERVICE_ACCOUNT, "spec.serviceAccountName");
        if (c.get("image") != null && env.stream().noneMatch(e -> PodInfo.IMAGE.equals(e.get("name")))) {
            env.add(KubernetesInjector.mapOf("name", PodInfo.IMAGE, "value", String.valueOf(c.get("image"))));
        }
        List<Map<String, Object>> mounts = KubernetesInjector.list(c, "volumeMounts");
        if (mounts.stream().noneMatch(m -> VOLUME.equals(m.get("name")))) {
            mounts.add(KubernetesInjector.mapOf("name", VOLUME, "mountPath", MOUNT, "readOnly", true));
        }
    }

    /** The projected volume with the pod's labels, once per pod. */
    static void volume(Map<String, Object> pod) {
        List<Map<String, Object>> volumes = KubernetesInjector.list(pod, "volumes");
        if (volumes.stream().anyMatch(v -> VOLUME.equals(v.get("name")))) {
            return;
        }
        Map<String, Object> item = KubernetesInjector.mapOf("path", "labels", "fieldRef",
                KubernetesInjector.mapOf("fieldPath", "metadata.labels"));
        Map<String, Object> source = KubernetesInjector.mapOf("downwardAPI",
                KubernetesInjector.mapOf("items", new ArrayList<>(List.of(item))));
        volumes.add(KubernetesInjector.mapOf("name", VOLUME, "projected",
                KubernetesInjector.mapOf("sources", new ArrayList<>(List.of(source)))));
    }

    private static void field(List<Map<String, Object>> env, String name, String path) {
        if (env.stream().noneMatch(e -> name.equals(e.get("name")))) {
            env.add(KubernetesInjector.mapOf("name", name, "valueFrom",
                    KubernetesInjector.mapOf("fieldRef", KubernetesInjector.mapOf("fieldPath", path))));
        }
    }
}
