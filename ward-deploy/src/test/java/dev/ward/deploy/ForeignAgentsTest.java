package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.deploy.InjectCommandTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrating from another runtime-security agent: the seeds' Lacework tasks (seed 004), KubeArmor's BlueLock on ECS
 * (seed 000) and EKS (seed 002), and the Sysdig and Prisma Cloud Fargate patterns are refused as they are, with a
 * report of what was found, and cleaned with --replace-agents.
 */
class ForeignAgentsTest {
    static final String INPUTS = "src/test/resources/inputs/";
    static final String AGENT = InjectCommandTest.AGENT;

    @TempDir
    Path dir;

    @Test
    void laceworkIsReportedAndNothingIsWrittenUnlessReplaceAgentsIsGiven() throws Exception {
        Path out = dir.resolve("out.json");
        Run r = InjectCommandTest.inject(INPUTS + "lacework-nginx-root-sidecar.json", "--agent-image", AGENT, "-o",
                out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("other runtime-security agents are in the task")
                .contains("container datacollector-sidecar: Lacework's agent container (lacework/datacollector:latest-sidecar)")
                .contains("container nginx: Lacework launcher /var/lib/lacework-backup/lacework-sidecar.sh in entryPoint; "
                        + "environment LaceworkAccessToken, LaceworkServerUrl; volumesFrom datacollector-sidecar")
                .contains("--replace-agents").contains("nothing was written");
        assertThat(out).doesNotExist();

        Run ok = InjectCommandTest.inject(INPUTS + "lacework-nginx-root-sidecar.json", "--agent-image", AGENT,
                "--replace-agents");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).doesNotContain("acework").doesNotContain("datacollector").doesNotContain("abcdef");
        JsonNode nginx = InjectGoldenTest.JSON.readTree(ok.out()).at("/containerDefinitions/0");
        assertThat(InjectGoldenTest.strings(nginx.get("entryPoint")))
                .containsExactly(InjectGoldenTest.agentArgv("/docker-entrypoint.sh", "nginx", "-g", "daemon off;"));
        assertThat(ok.err()).contains("removed another agent: container nginx: Lacework launcher");
    }

    @Test
    void laceworkInsideTheImagesShellCommandIsRefusedEvenWhenReplacing() throws Exception {
        // seed 004's embedded non-root image: ENTRYPOINT sh -c "sudo -E .../lacework-sidecar.sh && ..."
        var injector = new EcsInjector(InjectGoldenTest.sidecar(), InjectGoldenTest.IMAGES);
        var td = InjectGoldenTest.read(Path.of(INPUTS + "lacework-nginx-nonroot-embedded.json"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> injector.inject(td))
                .isInstanceOf(InjectException.class)
                .hasMessageContaining("starts Lacework inside a shell command")
                .hasMessageContaining("set entryPoint and command in the input")
                .satisfies(e -> assertThat(((InjectException) e).exitCode()).isEqualTo(2));
    }

    @Test
    void blueLockOnEcsLosesItsLauncherVolumeAndRelayButKeepsTheContainerName() throws Exception {
        Run refused = InjectCommandTest.inject(INPUTS + "bluelock-ecs-task.json", "--agent-image", AGENT);
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("container kubearmor-init: KubeArmor BlueLock's agent container")
                .contains("KubeArmor BlueLock launcher kubearmor/bluelock in command");
        // the task gives only a command: the image's (empty) ENTRYPOINT comes from the seeds' table
        var injector = new EcsInjector(InjectGoldenTest.sidecar(), InjectGoldenTest.IMAGES);
        JsonNode td = injector.inject(InjectGoldenTest.read(Path.of(INPUTS + "bluelock-ecs-task.json")));
        assertThat(td.path("volumes")).isEmpty();
        assertThat(td.path("containerDefinitions").findValuesAsText("name")).doesNotContain("kubearmor-init");
        JsonNode app = td.at("/containerDefinitions/0");
        assertThat(InjectGoldenTest.strings(app.get("entryPoint"))).containsExactly(InjectGoldenTest.agentArgv("socat",
                "TCP-LISTEN:1337,reuseaddr,fork", "EXEC:bash,pty,stderr,setsid,sigint,sane"));
        // CONTAINERNAME is Ward's too; RELAYSERVERURL is now Ward's relay, no longer KubeArmor's
        assertThat(app.get("environment").findValuesAsText("name")).containsExactly("CONTAINERNAME", "RELAYSERVERURL",
                "WARD_LOG_FILTER");
        assertThat(app.get("environment").toString()).doesNotContain("relay.example");
        assertThat(app.get("mountPoints")).isEmpty();
        assertThat(app.get("dependsOn").findValuesAsText("containerName")).containsExactly(EcsInjector.AGENT);
        assertThat(injector.notes()).anyMatch(n -> n.contains("task volumes kubearmor"));
    }

    @Test
    void blueLockOnEksLosesItsInitContainerVolumeAndLauncher() throws Exception {
        Run refused = InjectCommandTest.inject(INPUTS + "bluelock-deployment.yaml", "--agent-image", AGENT);
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("Deployment/armored-application: other runtime-security agents")
                .contains("container bluelock: KubeArmor BlueLock's agent container (daemon1024/bluelock)")
                .contains("container armored-container: KubeArmor BlueLock launcher /kubearmor/bluelock in command; "
                        + "env SIDEKICK_URL; volumeMounts /kubearmor");
        Run ok = InjectCommandTest.inject(INPUTS + "bluelock-deployment.yaml", "--agent-image", AGENT, "--replace-agents");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).doesNotContain("bluelock").doesNotContain("kubearmor-dir").doesNotContain("SIDEKICK_URL")
                .contains("ward-install").contains("\"socat\"");
        // the rest of the manifest keeps its comments and layout
        assertThat(ok.out()).contains("# Seed 002's \"Modified Deployment\"").contains("serviceAccountName: kubearmor");
    }

    @Test
    void sysdigAndPrismaPatternsAreFoundAndUnwrapped() throws Exception {
        Path sysdig = Files.writeString(dir.resolve("sysdig.json"), """
                {"family": "s", "containerDefinitions": [
                  {"name": "app", "image": "example/app:1",
                   "entryPoint": ["/opt/draios/bin/instrument", "/app/start"], "command": ["--serve"],
                   "environment": [{"name": "SYSDIG_COLLECTOR", "value": "collector.sysdig"}, {"name": "PORT", "value": "80"}],
                   "secrets": [{"name": "SYSDIG_ACCESS_KEY", "valueFrom": "arn:aws:ssm:eu-west-1:1:parameter/sysdig"}],
                   "volumesFrom": [{"sourceContainer": "SysdigInstrumentation", "readOnly": true}]},
                  {"name": "SysdigInstrumentation", "image": "quay.io/sysdig/workload-agent:latest", "essential": false}]}
                """);
        Run s = InjectCommandTest.inject(sysdig.toString(), "--agent-image", AGENT, "--replace-agents");
        assertThat(s.code()).as(s.err()).isZero();
        JsonNode app = InjectGoldenTest.JSON.readTree(s.out()).at("/containerDefinitions/0");
        assertThat(InjectGoldenTest.strings(app.get("entryPoint")))
                .containsExactly(InjectGoldenTest.agentArgv("/app/start", "--serve"));
        assertThat(app.get("environment").findValuesAsText("name")).containsExactly("PORT", "CONTAINERNAME");
        assertThat(s.out()).doesNotContain("SYSDIG").doesNotContain("workload-agent");

        Path prisma = Files.writeString(dir.resolve("prisma.json"), """
                {"family": "p", "containerDefinitions": [
                  {"name": "web", "image": "nginx:1.27", "entryPoint": ["/var/lib/twistlock/fargate/defender", "fargate",
                     "entrypoint", "/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
                   "environment": [{"name": "TW_IMAGE_NAME", "value": "nginx:1.27"}, {"name": "DEFENDER_TYPE", "value": "fargate"}],
                   "volumesFrom": [{"sourceContainer": "TwistlockDefender"}]},
                  {"name": "TwistlockDefender", "image": "registry-auth.twistlock.com/tw_abc/twistlock/defender:defender_32_00",
                   "essential": false}]}
                """);
        Run refused = InjectCommandTest.inject(prisma.toString(), "--agent-image", AGENT);
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("Prisma Cloud (Twistlock) Defender launcher /var/lib/twistlock/fargate/defender");
        Run p = InjectCommandTest.inject(prisma.toString(), "--agent-image", AGENT, "--replace-agents");
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(InjectGoldenTest.strings(InjectGoldenTest.JSON.readTree(p.out()).at("/containerDefinitions/0/entryPoint")))
                .containsExactly(InjectGoldenTest.agentArgv("/docker-entrypoint.sh", "nginx", "-g", "daemon off;"));
        assertThat(p.out()).doesNotContain("twistlock").doesNotContain("TW_").doesNotContain("DEFENDER");
    }

    @Test
    void aCloudFormationTemplateIsRefusedWithTheResourceNamedAndCleanedOnRequest() throws Exception {
        Path template = Files.writeString(dir.resolve("lacework.yaml"), """
                Resources:
                  Task:
                    Type: AWS::ECS::TaskDefinition
                    Properties:
                      ContainerDefinitions:
                        - Name: nginx
                          Image: nginx:1.23.1
                          EntryPoint: [/var/lib/lacework-backup/lacework-sidecar.sh, /docker-entrypoint.sh]
                          Command: [nginx, -g, daemon off;]
                          Environment:
                            - Name: LaceworkAccessToken
                              Value: !Ref LaceworkToken
                          VolumesFrom:
                            - SourceContainer: datacollector-sidecar
                        - Name: datacollector-sidecar
                          Image: lacework/datacollector:latest-sidecar
                          Essential: false
                """);
        Run refused = InjectCommandTest.inject(template.toString(), "--agent-image", AGENT);
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("Task: other runtime-security agents").contains("LaceworkAccessToken");
        Run ok = InjectCommandTest.inject(template.toString(), "--agent-image", AGENT, "--replace-agents");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).doesNotContain("acework").doesNotContain("datacollector").contains("run, --, /docker-entrypoint.sh, nginx");
    }

    @Test
    void anApplicationsOwnNamesAreNotMistakenForAnAgent() throws Exception {
        // K8S and RELAYSERVERURL are BlueLock's only where BlueLock starts the container; a repository named
        // "defender" is not Prisma's
        Path td = Files.writeString(dir.resolve("plain.json"), """
                {"family": "x", "containerDefinitions": [{"name": "app", "image": "example/defender-api:1",
                  "entryPoint": ["/app/defender-api"], "environment": [{"name": "K8S", "value": "false"}]}]}
                """);
        Run r = InjectCommandTest.inject(td.toString(), "--agent-image", AGENT);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"K8S\"").contains("/app/defender-api");
        assertThat(KnownAgent.launchedBy("/usr/local/bin/kubearmor/bluelock")).isNotNull();
        assertThat(KnownAgent.sidecarOf("example/app:defender")).isNull();
    }
}
