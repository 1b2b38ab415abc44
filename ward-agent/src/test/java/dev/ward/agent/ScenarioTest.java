package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.policy.testing.PolicyYaml;
import dev.ward.testing.CPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3's scenarios: a policy, a real command under {@code ward run}, the outcome and the alerts. */
@Tag("process")
class ScenarioTest {
    @TempDir
    Path dir;

    private AgentProcess.Result run(String spec, List<String> command, String... env) throws Exception {
        Path policy = Files.writeString(dir.resolve("p-" + System.nanoTime() + ".yaml"),
                PolicyYaml.named("scenario").container("app").spec(spec));
        List<String> args = new ArrayList<>(List.of("--container-name", "app", "--policy", policy.toString(), "--"));
        args.addAll(command);
        AgentProcess p = AgentProcess.run(args.toArray(String[]::new));
        for (int i = 0; i + 1 < env.length; i += 2) {
            p.env(env[i], env[i + 1]);
        }
        return p.await(dir);
    }

    private static List<String> sh(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    @Test
    void lsIsBlockedOnlyWhenDashRunsIt() throws Exception {
        String spec = """
                process:
                  matchPaths:
                  - path: /usr/bin/ls
                    fromSource:
                    - path: /usr/bin/dash
                action: Block
                """;
        var fromDash = run(spec, sh("ls / >/dev/null; echo rc=$?"));
        assertThat(fromDash.stdout()).as(fromDash.stderr()).contains("rc=126");
        assertThat(fromDash.alerts()).anySatisfy(a -> assertThat(a.get("Source").asText()).isEqualTo("/usr/bin/dash"));
        var fromBash = run(spec, List.of("/bin/bash", "-c", "ls / >/dev/null; echo rc=$?"));
        assertThat(fromBash.stdout()).contains("rc=0");
        assertThat(fromBash.alerts()).isEmpty();
    }

    @Test
    void oneDirectoryBlockedRecursivelyAnotherAudited() throws Exception {
        Path a = Files.createDirectories(dir.resolve("blocked/deep"));
        Path b = Files.createDirectories(dir.resolve("audited/deep"));
        Files.writeString(a.resolve("f"), "a");
        Files.writeString(b.resolve("f"), "b");
        var r = run("""
                file:
                  matchDirectories:
                  - dir: %s/
                    recursive: true
                    action: Block
                  - dir: %s/
                    recursive: true
                    action: Audit
                """.formatted(dir.resolve("blocked"), dir.resolve("audited")),
                sh("cat " + a.resolve("f") + "; echo a=$?; cat " + b.resolve("f") + "; echo; echo b=$?"));
        assertThat(r.stdout()).as(r.stderr()).contains("a=1").contains("b=0");
        assertThat(r.alerts()).anySatisfy(x -> {
            assertThat(x.get("Action").asText()).isEqualTo("Block");
            assertThat(x.get("Resource").asText()).isEqualTo(a.resolve("f").toString());
        });
        assertThat(r.alerts()).anySatisfy(x -> {
            assertThat(x.get("Action").asText()).isEqualTo("Audit");
            assertThat(x.get("Resource").asText()).isEqualTo(b.resolve("f").toString());
            assertThat(x.get("Result").asText()).isEqualTo("Passed");
        });
    }

    @Test
    void anAuditedFileReadThroughASymlinkIsReportedAsTheFileReached() throws Exception {
        Path target = Files.writeString(dir.resolve("audited.txt"), "data\n");
        Path link = Files.createSymbolicLink(dir.resolve("alias"), target);
        var r = run("""
                file:
                  matchPaths:
                  - path: %s
                action: Audit
                """.formatted(target), sh("cat " + link));
        assertThat(r.stdout()).as(r.stderr()).contains("data");
        assertThat(r.alerts()).singleElement().satisfies(a -> {
            assertThat(a.get("Action").asText()).isEqualTo("Audit");
            assertThat(a.get("Resource").asText()).isEqualTo(target.toString());
            assertThat(a.get("Result").asText()).isEqualTo("Passed");
        });
    }

    @Test
    void patternBlocksShadowLikeFiles() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/etc/shadow")));
        var r = run("""
                file:
                  matchPatterns:
                  - pattern: /etc/*hado?
                action: Block
                """, sh("cat /etc/shadow >/dev/null; echo shadow=$?; cat /etc/hostname >/dev/null; echo hostname=$?"));
        assertThat(r.stdout()).as(r.stderr()).contains("shadow=1").contains("hostname=0");
        assertThat(r.alerts()).extracting(x -> x.get("Resource").asText()).contains("/etc/shadow");
    }

    @Test
    void readOnlyLetsReadsThroughAndStopsAppends() throws Exception {
        Path f = Files.writeString(dir.resolve("config"), "v1\n");
        var r = run("""
                file:
                  matchPaths:
                  - path: %s
                    readOnly: true
                action: Block
                """.formatted(f), sh("cat " + f + "; echo 'v2' >> " + f + "; echo append=$?"));
        assertThat(r.stdout()).as(r.stderr()).contains("v1").contains("append=2");
        assertThat(Files.readString(f)).isEqualTo("v1\n");
    }

    @Test
    void ownerOnlyStopsASecondUser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux)");
        Path f = Files.writeString(dir.resolve("owned"), "mine\n"); // owned by this (root) user
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String spec = """
                file:
                  matchPaths:
                  - path: %s
                    ownerOnly: true
                action: Block
                """.formatted(f);
        var owner = run(spec, sh("cat " + f));
        assertThat(owner.stdout()).as(owner.stderr()).contains("mine");
        var other = run(spec, sh("setpriv --reuid=65534 --regid=65534 --clear-groups cat " + f + "; echo rc=$?"));
        assertThat(other.stdout()).as(other.stderr()).contains("rc=1").doesNotContain("mine");
        assertThat(other.alerts()).anySatisfy(x -> assertThat(x.get("UID").asInt()).isEqualTo(65534));
    }

    @Test
    void ownerOnlyJudgesTheUidAProcessDroppedToWithoutExec() throws Exception {
        // As an nginx worker does: setresuid in the running process, no exec after it.
        Path d = Files.createDirectories(dir.resolve("dropped"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String name : List.of("before", "after")) {
            Files.setPosixFilePermissions(Files.writeString(d.resolve(name), "mine\n"),
                    PosixFilePermissions.fromString("rw-r--r--"));
        }
        var r = run("""
                file:
                  matchDirectories:
                  - dir: %s/
                    ownerOnly: true
                action: Block
                """.formatted(d), List.of(CPrograms.get("facts", "-pthread").toString(), "uid", "setresuid",
                        d.toString()));
        assertThat(r.alerts()).as(r.stderr()).extracting(x -> x.get("Resource").asText())
                .contains(d + "/after").doesNotContain(d + "/before");
        assertThat(r.alerts()).filteredOn(x -> x.get("Resource").asText().equals(d + "/after"))
                .allSatisfy(x -> assertThat(x.get("UID").asInt()).isEqualTo(65534));
    }

    @Test
    void icmpIsAuditedAndRawSocketsAreBlocked() throws Exception {
        Path program = CPrograms.get("privileged");
        var audited = run("""
                network:
                  matchProtocols:
                  - protocol: icmp
                action: Audit
                """, List.of(program.toString(), "rawsocket"));
        assertThat(audited.stdout()).as(audited.stderr()).contains("rawsocket ok");
        JsonNode a = audited.alerts().get(0);
        assertThat(a.get("Operation").asText()).isEqualTo("Network");
        assertThat(a.get("Action").asText()).isEqualTo("Audit");
        var blocked = run("""
                network:
                  matchProtocols:
                  - protocol: raw
                action: Block
                """, List.of(program.toString(), "rawsocket", "tcpsocket"));
        assertThat(blocked.stdout()).as(blocked.stderr()).contains("rawsocket errno=13").contains("tcpsocket ok");
    }

    @Test
    void tcpOnlyFromCurlEverythingElseByDefaultPosture() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl");
        Path program = CPrograms.get("privileged");
        String spec = """
                network:
                  matchProtocols:
                  - protocol: tcp
                    fromSource:
                    - path: /usr/bin/curl
                action: Allow
                """;
        var r = run(spec, sh("/usr/bin/curl -s -o /dev/null --max-time 2 http://127.0.0.1:9/; echo curl=$?; "
                + program + " tcpsocket"), "WARD_DEFAULT_NETWORK_POSTURE", "block");
        // curl got its socket (the connection is refused: exit 7), the other program did not.
        assertThat(r.stdout()).as(r.stderr()).contains("curl=7").contains("tcpsocket errno=13");
        assertThat(r.alerts()).anySatisfy(x -> {
            assertThat(x.get("PolicyName").asText()).isEqualTo("DefaultPosture");
            assertThat(x.get("ProcessName").asText()).endsWith("/" + program.getFileName());
        });
        assertThat(r.alerts()).noneSatisfy(x -> assertThat(x.get("ProcessName").asText()).isEqualTo("/usr/bin/curl"));
    }
}
