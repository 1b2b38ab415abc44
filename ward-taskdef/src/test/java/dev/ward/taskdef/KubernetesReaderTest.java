package dev.ward.taskdef;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KubernetesReaderTest {
    @Test
    void whereEachWorkloadKeepsItsPodSpec() {
        assertThat(KubernetesReader.podSpec("Pod")).contains(List.of("spec"));
        assertThat(KubernetesReader.podSpec("CronJob")).contains(List.of("spec", "jobTemplate", "spec", "template", "spec"));
        for (String kind : List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job")) {
            assertThat(KubernetesReader.podSpec(kind)).contains(List.of("spec", "template", "spec"));
        }
        assertThat(KubernetesReader.podSpec("Service")).isEmpty();
        assertThat(KubernetesReader.podSpec("pod")).isEmpty();
    }
}
