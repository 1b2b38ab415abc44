package dev.ward.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * ward check reads what ward inject reads: standard input ({@code ward inject ... | ward check -}) and Kubernetes
 * manifests (seed 002's Deployment), with the rules that apply to a pod; a malformed input gets its error alone.
 */
class StdinAndKubernetesTest {
    @TempDir
    Path dir;

    static CliRun runWithStdin(Path cwd, byte[] stdin, String... args) {
        CommandLine cl = new CommandLine(new CheckCommand(Map.of(), false, cwd, new ByteArrayInputStream(stdin)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new CliRun(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void dashReadsStandardInput() throws Exception {
        byte[] task;
        try (var in = getClass().getResourceAsStream("/seeds/001-backend-flask-task-definition.json")) {
            task = in.readAllBytes();
        }
        CliRun r = runWithStdin(dir, task, "-", "-o", "json");
        assertThat(r.code()).as(r.err()).isEqualTo(1); // the seed's static AWS keys are high
        assertThat(r.out()).contains("\"file\" : \"-\"").contains("WARD-ECS-019"); // static AWS keys
        assertThat(r.err()).doesNotContain("no such file");
        // a file named "-" is not needed, and standard input that is not an input says so
        CliRun junk = runWithStdin(dir, "{\"hello\": 1}".getBytes(), "-");
        assertThat(junk.code()).isEqualTo(2);
        assertThat(junk.err()).startsWith("-: ").contains("no containerDefinitions");
    }

    @Test
    void aMalformedFileGetsItsErrorAloneAndExitTwo() throws Exception {
        Path bad = CliRun.write(dir, "bad.json", "{\"family\": \"x\", \"containerDefinitions\": [\n");
        CliRun r = CliRun.run(dir, bad.getFileName().toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("bad.json:").doesNotContain("Nothing at or above");
        // beside a good file, the good file's findings are still reported
        CliRun.copy(dir, "seeds/001-backend-flask-task-definition.json");
        CliRun both = CliRun.run(dir, "bad.json", "seeds/001-backend-flask-task-definition.json");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.out()).contains("WARD-ECS-019");
    }

    @Test
    void seed002sDeploymentIsCheckedWithThePodRules() throws Exception {
        Path deployment = CliRun.copy(dir, "seeds/002-bluelock-deployment.yaml");
        CliRun r = CliRun.run(dir, "-v", "--fail-on", "medium", "-o", "json", dir.relativize(deployment).toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        // the containers' rules (no user, writable root, latest tag), at the manifest's own fields
        assertThat(r.out()).contains("WARD-ECS-004").contains("securityContext.runAsUser")
                .contains("WARD-ECS-006").contains("securityContext.readOnlyRootFilesystem")
                .contains("WARD-ECS-014").contains("Deployment/armored-application");
        // ECS-only rules (log configuration, task role) do not apply to a pod
        assertThat(r.out()).doesNotContain("WARD-ECS-012").doesNotContain("WARD-ECS-018");
        assertThat(r.err()).contains("Kubernetes manifests: the pod templates, checked with the rules about containers");
        // the init container is checked too, as a container that runs and exits
        assertThat(r.out()).contains("\"container\" : \"bluelock\"");
    }

    @Test
    void aPodThatSaysItIsNonRootAndProtectedByWardPasses() throws Exception {
        Path pod = CliRun.write(dir, "pod.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  securityContext: {runAsNonRoot: true}
                  hostPID: true
                  containers:
                    - name: web
                      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:%s
                      command: [/ward/bin/env, --block-signal=HUP, _JAVA_SR_SIGNUM=40, WARD_SR_SIGNUM=1, /ward/bin/java,
                                "@/ward/ward.args", run, --, /app/web]
                      securityContext: {readOnlyRootFilesystem: true, capabilities: {add: [SYS_PTRACE]}}
                      livenessProbe: {httpGet: {path: /, port: 80}}
                """.formatted("0".repeat(64)));
        CliRun r = CliRun.run(dir, "--fail-on", "info", "-o", "json", "pod.yaml");
        // hostPID is the one thing wrong with it: no "no user" (004), SYS_PTRACE (008) is Ward's, protected (024),
        // read-only (006), probed (013)
        assertThat(r.out()).contains("WARD-ECS-010").doesNotContain("WARD-ECS-004").doesNotContain("WARD-ECS-008")
                .doesNotContain("WARD-ECS-024").doesNotContain("WARD-ECS-006").doesNotContain("WARD-ECS-013")
                .contains("\"findings\" : 1,");
        assertThat(r.code()).isEqualTo(1);
        assertThat(Files.exists(pod)).isTrue();
    }
}
