package dev.ward.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pod's identity from the downward API: environment and the kubelet's labels file. */
class PodInfoTest {
    @TempDir
    Path dir;

    @Test
    void readsTheKubeletsLabelsFileFormat() throws Exception {
        Path f = Files.writeString(dir.resolve("labels"), """
                app="armored-application"
                eks.amazonaws.com/fargate-profile="fp-default"
                note="a \\"quoted\\" value\\twith tab and caf\\u00e9 \\xc3\\xa9"
                pod-template-hash="77fb54dc69\"""");
        assertThat(PodInfo.readLabels(f)).containsExactly(Map.entry("app", "armored-application"),
                Map.entry("eks.amazonaws.com/fargate-profile", "fp-default"),
                Map.entry("note", "a \"quoted\" value\twith tab and café é"),
                Map.entry("pod-template-hash", "77fb54dc69"));
        assertThat(PodInfo.readLabels(dir.resolve("absent"))).isNull();
    }

    @Test
    void aBrokenLabelsLineNamesFileAndLine() throws Exception {
        Path f = Files.writeString(dir.resolve("labels"), "app=\"x\"\nbroken\n");
        assertThatThrownBy(() -> PodInfo.readLabels(f)).hasMessage(f + ":2: expected key=\"value\" (a label as the "
                + "downward API writes it), got: broken");
        Path g = Files.writeString(dir.resolve("labels2"), "app=unquoted\n");
        assertThatThrownBy(() -> PodInfo.readLabels(g)).hasMessage(g + ":1: label app: expected a double-quoted "
                + "value, got: unquoted");
    }

    @Test
    void theEnvironmentInjectSetsDescribesThePod() throws Exception {
        Path f = Files.writeString(dir.resolve("labels"), "app=\"shop\"\n");
        PodInfo p = PodInfo.of(Map.of(PodInfo.NAMESPACE, "payments", PodInfo.NAME, "shop-7d9c-x2x", PodInfo.UID, "u-1",
                PodInfo.NODE, "fargate-ip-10-0-1-2", PodInfo.SERVICE_ACCOUNT, "shop", PodInfo.IMAGE, "shop:1",
                PodInfo.CONTAINER_ID, "c0ffee", PodInfo.LABELS_FILE, f.toString()));
        assertThat(p).isEqualTo(new PodInfo("payments", "shop-7d9c-x2x", "u-1", "fargate-ip-10-0-1-2", "shop",
                Map.of("app", "shop"), "c0ffee", "shop:1"));
        assertThat(PodInfo.of(Map.of(PodInfo.LABELS_FILE, dir.resolve("none").toString()))).isEqualTo(PodInfo.NONE);
    }

    @Test
    void findsTheContainerIdInTheCgroupPath() throws Exception {
        String id = "938e0b4bbdbc5c7f8cc1acb319ef59784d495e44b6f66fa41bd0c9180a52986e";
        Path v1 = Files.writeString(dir.resolve("v1"), "12:memory:/kubepods/burstable/pod1b2c-44/" + id + "\n");
        Path v2 = Files.writeString(dir.resolve("v2"), "0::/kubepods.slice/kubepods-burstable.slice/"
                + "kubepods-burstable-pod1b2c.slice/cri-containerd-" + id + ".scope\n");
        Path none = Files.writeString(dir.resolve("none"), "0::/\n4:memory:/process_api/8b62a4dcca76abc6f670d8f6242ff501\n");
        assertThat(PodInfo.containerIdFromCgroup(v1)).isEqualTo(id);
        assertThat(PodInfo.containerIdFromCgroup(v2)).isEqualTo(id);
        assertThat(PodInfo.containerIdFromCgroup(none)).isEmpty();
    }

    @Test
    void podLabelsAndNamespaceMakeTheIdentity() throws Exception {
        Path f = Files.writeString(dir.resolve("labels"), "app=\"shop\"\nteam=\"a\"\n");
        Identity id = Identity.of("web", Map.of("team", "b"), Map.of(PodInfo.NAMESPACE, "payments",
                PodInfo.NAME, "shop-1", PodInfo.LABELS_FILE, f.toString(), PodInfo.CONTAINER_ID, "c0ffee",
                PodInfo.IMAGE, "docker.io/x/shop:1@sha256:aa"));
        assertThat(id.labels()).isEqualTo(Map.of("app", "shop", "team", "b", Identity.CONTAINER_NAME_LABEL, "web"));
        var w = id.workload(null);
        assertThat(w.namespaceName).isEqualTo("payments");
        assertThat(w.podName).isEqualTo("shop-1");
        assertThat(w.containerId).isEqualTo("c0ffee");
        assertThat(w.containerImage).isEqualTo("docker.io/x/shop:1@sha256:aa");
        assertThat(w.labels).isEqualTo("app=shop,kubearmor.io/container.name=web,team=b");
    }
}
