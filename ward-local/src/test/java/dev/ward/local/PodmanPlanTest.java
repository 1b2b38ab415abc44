package dev.ward.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.taskdef.TaskDef;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodmanPlanTest {
    private static final String ID = "0123456789abcdef0123456789abcdef";

    private static PodmanPlan plan(String json, LocalOptions options) {
        return new PodmanPlan(TaskDefinitionReader.parse(null, json), ID, options);
    }

    @Test
    void translatesAContainer() {
        PodmanPlan p = plan("""
                {"family": "Web App", "pidMode": "task", "volumes": [{"name": "data"}, {"name": "h", "host": {"sourcePath": "/srv"}}],
                 "containerDefinitions": [
                  {"name": "app", "image": "nginx:1", "entryPoint": ["/ep", "x"], "command": ["a"],
                   "environment": [{"name": "A", "value": "1"}], "secrets": [{"name": "S", "valueFrom": "arn:x"}],
                   "user": "101", "workingDirectory": "/w", "readonlyRootFilesystem": true, "stopTimeout": 50,
                   "mountPoints": [{"sourceVolume": "data", "containerPath": "/d", "readOnly": true},
                                   {"sourceVolume": "h", "containerPath": "/h"}],
                   "volumesFrom": [{"sourceContainer": "agent", "readOnly": true}],
                   "linuxParameters": {"capabilities": {"add": ["SYS_PTRACE"], "drop": ["NET_RAW", "CAP_MKNOD"]},
                                       "initProcessEnabled": true},
                   "healthCheck": {"command": ["CMD", "curl", "-f", "http://localhost/"], "retries": 2}},
                  {"name": "agent", "image": "ward-agent:1", "essential": false}]}""",
                LocalOptions.builder().maxStopTimeout(java.time.Duration.ofSeconds(20)).build());
        assertThat(p.podName).isEqualTo("ward-web-app-01234567");
        assertThat(p.secretName("a-container-with-a-rather-long-name", "A_SECRET_WITH_A_LONG_NAME")).hasSizeLessThanOrEqualTo(64)
                .startsWith("ward-secret-" + ID + "-").matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*[a-zA-Z0-9]");
        assertThat(p.podCreate(42)).contains("--share", "ipc,net,uts,pid", "--network", "slirp4netns:allow_host_loopback=true",
                "dev.ward.local.supervisor=42");
        List<String> a = p.containerCreate(p.def.container("app").orElseThrow(), "http://10.0.2.2:1/v4/t", List.of(Path.of("/e.env")));
        assertThat(a).containsSubsequence("create", "--pod", "ward-web-app-01234567", "--name", "ward-web-app-01234567-app");
        assertThat(a).contains("--entrypoint=[\"/ep\",\"x\"]", "--user=101", "--workdir=/w", "--read-only",
                "--read-only-tmpfs=false", "--init", "--env=A=1", "--env-file=/e.env",
                "--env=ECS_CONTAINER_METADATA_URI_V4=http://10.0.2.2:1/v4/t",
                "--secret=" + p.secretName("app", "S") + ",type=env,target=S",
                "--volume=ward-0123456789ab-data:/d:ro", "--volume=/srv:/h",
                "--volumes-from=ward-web-app-01234567-agent:ro", "--stop-timeout", "20",
                "--health-cmd=[\"curl\",\"-f\",\"http://localhost/\"]", "--health-retries=2", "--health-interval=disable",
                "--cap-drop=all");
        assertThat(a.subList(a.size() - 2, a.size())).containsExactly("nginx:1", "a");
        String caps = a.stream().filter(s -> s.startsWith("--cap-add=")).findFirst().orElseThrow();
        assertThat(caps).contains("SYS_PTRACE", "CHOWN", "AUDIT_WRITE").doesNotContain("NET_RAW", "MKNOD");
    }

    @Test
    void portsBindLoopbackOnly() {
        String json = """
                {"family": "f", "containerDefinitions": [{"name": "a", "image": "i",
                  "portMappings": [{"containerPort": 80}, {"containerPort": 53, "protocol": "udp", "hostPort": 53}]}]}""";
        assertThat(plan(json, LocalOptions.builder().build()).podCreate(1))
                .containsSubsequence("--publish", "127.0.0.1:80:80/tcp", "--publish", "127.0.0.1:53:53/udp");
        assertThat(plan(json, LocalOptions.builder().randomHostPorts(true).hostPort(53, 5353).build()).podCreate(1))
                .containsSubsequence("--publish", "127.0.0.1::80/tcp", "--publish", "127.0.0.1:5353:53/udp");
    }

    @Test
    void onlySysPtraceMayBeAdded() {
        PodmanPlan p = plan("""
                {"family": "f", "containerDefinitions": [{"name": "a", "image": "i",
                  "linuxParameters": {"capabilities": {"add": ["NET_ADMIN"]}}}]}""", LocalOptions.builder().build());
        assertThatThrownBy(() -> p.containerCreate(p.def.containers().getFirst(), "u", List.of()))
                .hasMessage("container \"a\": linuxParameters.capabilities.add[0]: NET_ADMIN (Fargate only lets you add SYS_PTRACE)");
    }

    @Test
    void healthCommandsForPodman43() {
        assertThat(PodmanPlan.healthCmd(List.of("CMD-SHELL", "curl -f localhost || exit 1")))
                .isEqualTo("[\"CMD-SHELL\",\"curl -f localhost || exit 1\"]");
        assertThat(PodmanPlan.healthCmd(List.of("CMD", "/probe", "-x"))).isEqualTo("[\"/probe\",\"-x\"]");
        assertThat(PodmanPlan.healthCmd(List.of("CMD", "/probe"))).isEqualTo("[\"CMD-SHELL\",\"/probe\"]");
    }

    @Test
    void duplicatePortsAcrossContainersAreRejected() {
        PodmanPlan p = plan("""
                {"family": "f", "containerDefinitions": [
                  {"name": "a", "image": "i", "portMappings": [{"containerPort": 80}]},
                  {"name": "b", "image": "i", "portMappings": [{"containerPort": 80}]}]}""", LocalOptions.builder().build());
        assertThatThrownBy(() -> p.podCreate(1)).hasMessageContaining("container \"b\": portMappings[0]: port 80/tcp is also mapped by \"a\"");
    }

    @Test
    void stopLevelsReverseTheDependencies() {
        TaskDef def = TaskDefinitionReader.parse(null, """
                {"family": "f", "containerDefinitions": [
                  {"name": "app", "image": "i", "dependsOn": [{"containerName": "db", "condition": "START"}]},
                  {"name": "db", "image": "i", "dependsOn": [{"containerName": "agent", "condition": "START"}]},
                  {"name": "agent", "image": "i"}, {"name": "other", "image": "i"}]}""");
        assertThat(TaskGraph.stopLevels(def)).containsEntry("app", 0).containsEntry("other", 0).containsEntry("db", 1)
                .containsEntry("agent", 2);
    }
}
