package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.policy.testing.PolicyYaml;
import dev.ward.testing.CPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ward run} end to end: the real agent JVM, real workloads, real policies, real telemetry. */
@Tag("process")
class AgentRunTest {
    @TempDir
    Path dir;

    private Path policy(String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), yaml);
    }

    private Path secret() throws Exception {
        return Files.writeString(dir.resolve("secret.txt"), "hunter2\n");
    }

    /** Blocks {@code path} in container armored-container; {@code extra}: more lines of its matchPaths entry. */
    private static String blockFile(String name, String path, String extra) {
        return PolicyYaml.named(name).container("armored-container").spec("""
                severity: 7
                tags: ["NIST", "secrets"]
                message: "secret accessed"
                file:
                  matchPaths:
                  - path: %s
                %saction: Block
                """.formatted(path, extra));
    }

    @Test
    void blockedReadFailsWithPermissionDeniedAndRaisesAKubeArmorAlert() throws Exception {
        Path secret = secret();
        Path p = policy("block", blockFile("block-secret", secret.toString(), ""));
        var r = AgentProcess.run("--container-name", "armored-container", "--policy", p.toString(), "--",
                "cat", secret.toString()).await(dir);
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("cat: " + secret + ": Permission denied");
        assertThat(r.stdout()).doesNotContain("hunter2");
        assertThat(r.alerts()).hasSize(1);
        JsonNode a = r.alerts().get(0);
        // The fields of the seed's KubeArmor alert (shared/seeds, EKS Fargate document), same names.
        for (String field : List.of("Timestamp", "UpdatedTime", "HostName", "Labels", "ContainerName", "PPID", "PID",
                "ParentProcessName", "ProcessName", "PolicyName", "Severity", "Tags", "ATags", "Message", "Type",
                "Source", "Operation", "Resource", "Data", "Enforcer", "Action", "Result")) {
            assertThat(a.has(field)).as(field + " in " + a).isTrue();
        }
        assertThat(a.get("ContainerName").asText()).isEqualTo("armored-container");
        assertThat(a.get("Labels").asText()).contains("kubearmor.io/container.name=armored-container");
        assertThat(a.get("PolicyName").asText()).isEqualTo("block-secret");
        assertThat(a.get("Severity").asText()).isEqualTo("7");
        assertThat(a.get("Tags").asText()).isEqualTo("NIST,secrets");
        assertThat(a.get("ATags").get(0).asText()).isEqualTo("NIST");
        assertThat(a.get("Message").asText()).isEqualTo("secret accessed");
        assertThat(a.get("Type").asText()).isEqualTo("MatchedPolicy");
        assertThat(a.get("Operation").asText()).isEqualTo("File");
        assertThat(a.get("Resource").asText()).isEqualTo(secret.toString());
        assertThat(a.get("ProcessName").asText()).isEqualTo("/usr/bin/cat");
        assertThat(a.get("Source").asText()).isEqualTo("/usr/bin/cat");
        assertThat(a.get("Data").asText()).startsWith("syscall=SYS_OPENAT fd=-100 flags=O_RDONLY");
        assertThat(a.get("Action").asText()).isEqualTo("Block");
        assertThat(a.get("Result").asText()).isEqualTo("Permission denied");
        assertThat(a.get("UpdatedTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    }

    /** sh -c SCRIPT under a policy that blocks head (and only head) from reading {@code secret}. */
    private AgentProcess headBlocked(String name, Path secret, String script) throws Exception {
        Path p = policy(name, blockFile("block-head", secret.toString(), "    fromSource:\n    - path: /usr/bin/head\n"));
        return AgentProcess.run("--container-name", "armored-container", "--policy", p.toString(), "--", "sh", "-c", script);
    }

    @Test
    void pollingLongerOrNotAtAllATreeOfProcessesIsEnforcedAndReapedTheSame() throws Exception {
        Path secret = secret();
        for (String spin : List.of("200", "0")) { // the default polls 50 us with two CPUs or more
            var r = headBlocked("head-polling-" + spin, secret, "for i in 1 2 3 4 5; do cat " + secret
                    + " >/dev/null; done; (sleep 0.1 &); head " + secret + "; echo head=$?; exit 4")
                    .env("WARD_TRACER_SPIN_US", spin).env("WARD_DEBUG_STOPS", "1").await(dir);
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(4);
            assertThat(r.stdout()).contains("head=1");
            assertThat(r.alerts()).hasSize(1);
            assertThat(r.alerts().get(0).get("ProcessName").asText()).isEqualTo("/usr/bin/head");
            if (spin.equals("0") || Runtime.getRuntime().availableProcessors() < 2) {
                assertThat(r.stderr()).contains("waits: off");
            } else {
                assertThat(r.stderr()).contains("waits: polls 200 us");
            }
        }
        var bad = AgentProcess.run("--", "true").env("WARD_TRACER_SPIN_US", "fast").await(dir);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("WARD_TRACER_SPIN_US='fast': expected microseconds");
    }

    @Test
    void fromSourceBlocksHeadAndLetsCatRead() throws Exception {
        Path secret = secret();
        var r = headBlocked("head", secret, "cat " + secret + "; head " + secret + "; echo head=$?").await(dir);
        assertThat(r.stdout()).as(r.stderr()).contains("hunter2").contains("head=1");
        assertThat(r.stderr()).contains("head: cannot open '" + secret + "' for reading: Permission denied");
        assertThat(r.alerts()).hasSize(1);
        assertThat(r.alerts().get(0).get("ProcessName").asText()).isEqualTo("/usr/bin/head");
        assertThat(r.alerts().get(0).get("ParentProcessName").asText()).isIn("/usr/bin/sh", "/usr/bin/dash");
    }

    @Test
    void execBlockedByPathAndTheRestRuns() throws Exception {
        Path p = policy("exec", PolicyYaml.named("block-id").container("*").spec("""
                process:
                  matchPaths:
                  - path: /usr/bin/id
                action: Block
                """));
        var r = AgentProcess.run("--policy", p.toString(), "--", "sh", "-c", "id; echo id=$?; echo done")
                .await(dir);
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("id=126").contains("done");
        JsonNode a = r.alerts().get(0);
        assertThat(a.get("Operation").asText()).isEqualTo("Process");
        assertThat(a.get("Resource").asText()).isEqualTo("/usr/bin/id");
        assertThat(a.get("Data").asText()).isEqualTo("syscall=SYS_EXECVE");
    }

    @Test
    void logFilterAllReportsEveryTrappedEventWithItsResult() throws Exception {
        var r = AgentProcess.run("--log-filter", "all", "--", "sh", "-c", "cat /etc/hostname; cat /nonexistent")
                .await(dir);
        assertThat(r.logs()).isNotEmpty();
        assertThat(r.logs()).anySatisfy(l -> {
            assertThat(l.get("Resource").asText()).isEqualTo("/etc/hostname");
            assertThat(l.get("Result").asText()).isEqualTo("Passed");
        });
        assertThat(r.logs()).anySatisfy(l -> {
            assertThat(l.get("Resource").asText()).isEqualTo("/nonexistent");
            assertThat(l.get("Result").asText()).isEqualTo("No such file or directory");
        });
        assertThat(r.logs()).anySatisfy(l -> {
            assertThat(l.get("Operation").asText()).isEqualTo("Process");
            assertThat(l.get("Resource").asText()).isEqualTo("/usr/bin/cat /etc/hostname");
        });
    }

    @Test
    void visibilityNarrowsTheSystemLogsToTheOperationsListed() throws Exception {
        var r = AgentProcess.run("--log-filter", "system", "--visibility", "process", "--", "sh", "-c",
                "cat /etc/hostname").await(dir);
        assertThat(r.logs()).anySatisfy(l -> assertThat(l.get("Resource").asText()).isEqualTo("/usr/bin/cat /etc/hostname"));
        assertThat(r.logs()).allSatisfy(l -> assertThat(l.get("Operation").asText()).isEqualTo("Process"));
        var none = AgentProcess.run("--log-filter", "system", "--visibility", "none", "--", "sh", "-c",
                "cat /etc/hostname").await(dir);
        assertThat(none.logs()).isEmpty();
        assertThat(none.stdout()).isNotBlank();
        var bad = AgentProcess.run("--visibility", "proces", "--", "true").await(dir);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("unknown operation 'proces'").contains("process, file, network");
    }

    @Test
    void trapLeavesOutOperationsAndRefusesPoliciesItCannotEnforce() throws Exception {
        var r = AgentProcess.run("--log-filter", "system", "--trap", "process,network", "--", "sh", "-c",
                "cat /etc/hostname").await(dir);
        assertThat(r.exitCode()).isZero();
        assertThat(r.logs()).anySatisfy(l -> assertThat(l.get("Operation").asText()).isEqualTo("Process"));
        assertThat(r.logs()).noneSatisfy(l -> assertThat(l.get("Operation").asText()).isEqualTo("File"));

        Path secret = secret();
        Path p = policy("block", blockFile("block-secret", secret.toString(), ""));
        var refused = AgentProcess.run("--container-name", "armored-container", "--policy", p.toString(),
                "--trap", "process", "--", "cat", secret.toString())
                .await(dir);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("file rules").contains("--trap process").contains("not started");
        assertThat(refused.stdout()).doesNotContain("hunter2");
    }

    @Test
    void exitCodesAreTheWorkloads() throws Exception {
        assertThat(AgentProcess.run("--", "sh", "-c", "exit 7").await(dir).exitCode()).isEqualTo(7);
        assertThat(AgentProcess.run("--", "sh", "-c", "kill -TERM $$").await(dir).exitCode()).isEqualTo(143);
        assertThat(AgentProcess.run("--", "sh", "-c", "kill -KILL $$").await(dir).exitCode()).isEqualTo(137);
    }

    @Test
    void forwardsSignalsToTheWorkload() throws Exception {
        Path program = CPrograms.get("sigtrap");
        Path telemetry = dir.resolve("t.jsonl");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process agent = AgentProcess.run("--", program.toString()).start(telemetry, out, err);
        awaitOutput(out, "ready");
        int[] signals = {1, 2, 3, 10, 12, 28};
        for (int sig : signals) {
            new ProcessBuilder("kill", "-" + sig, Long.toString(agent.pid())).start().waitFor();
            awaitOutput(out, "got " + sig);
        }
        new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).start().waitFor();
        var r = AgentProcess.finish(agent, telemetry, out, err);
        assertThat(r.stdout()).contains("got 15");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).doesNotContain("Full thread dump");
    }

    @Test
    void stopSignalTurnsSigtermIntoTheImagesStopSignal() throws Exception {
        Path telemetry = dir.resolve("t.jsonl");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process agent = AgentProcess.run("--stop-signal", "SIGQUIT", "--", "sh", "-c",
                "trap 'echo got QUIT; exit 3' QUIT; trap 'echo got TERM; exit 4' TERM; echo ready; "
                        + "while :; do sleep 0.1; done").start(telemetry, out, err);
        awaitOutput(out, "ready");
        new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).start().waitFor();
        var r = AgentProcess.finish(agent, telemetry, out, err);
        assertThat(r.stdout()).contains("got QUIT").doesNotContain("got TERM");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
        var bad = AgentProcess.run("--stop-signal", "SIGNOPE", "--", "true").await(dir);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("--stop-signal 'SIGNOPE': expected a signal name or number");
    }

    @Test
    void reExecutesItselfWhenStartedWithoutTheSignalMask() throws Exception {
        Path program = CPrograms.get("sigtrap");
        Path telemetry = dir.resolve("t.jsonl");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process agent = AgentProcess.run("--", program.toString()).withoutLauncherMask().start(telemetry, out, err);
        awaitOutput(out, "ready");
        new ProcessBuilder("kill", "-QUIT", Long.toString(agent.pid())).start().waitFor();
        awaitOutput(out, "got 3");
        new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).start().waitFor();
        assertThat(AgentProcess.finish(agent, telemetry, out, err).exitCode()).isZero();
    }

    @Test
    void reapsOrphanedZombies() throws Exception {
        Path program = CPrograms.get("sigtrap");
        var r = AgentProcess.run("--", program.toString(), "orphans").await(dir);
        assertThat(r.stdout()).contains("zombies=0");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void groupStopKeepsTheWorkloadStoppedUntilSigcont() throws Exception {
        Path telemetry = dir.resolve("t.jsonl");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process agent = AgentProcess.run("--", "sh", "-c", "echo pid $$; kill -STOP $$; echo resumed")
                .start(telemetry, out, err);
        String pid = awaitOutput(out, "pid ").split("pid ")[1].strip().split("\\s")[0];
        Thread.sleep(300);
        assertThat(Files.readString(out)).doesNotContain("resumed");
        assertThat(Files.readString(Path.of("/proc/" + pid + "/stat"))).matches("\\d+ \\(.*\\) [tT] .*\\s*");
        new ProcessBuilder("kill", "-CONT", pid).start().waitFor();
        var r = AgentProcess.finish(agent, telemetry, out, err);
        assertThat(r.stdout()).contains("resumed");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void brokenPolicyIsReportedWithItsPositionAndTheWorkloadNeverStarts() throws Exception {
        Path marker = dir.resolve("started");
        Path p = policy("broken", PolicyYaml.named("broken").container("x").spec("""
                file:
                  matchPaths:
                  - path: [not, a, string]
                action: Block
                """));
        var r = AgentProcess.run("--policy", p.toString(), "--", "touch", marker.toString()).await(dir);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains(p + ":11:").contains("the workload was not started");
        assertThat(marker).doesNotExist();
    }

    @Test
    void inlinePolicyFromTheEnvironment() throws Exception {
        Path secret = secret();
        var r = AgentProcess.run("--", "cat", secret.toString())
                .env("WARD_POLICY", blockFile("inline", secret.toString(), ""))
                .env("CONTAINERNAME", "armored-container").await(dir);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.alerts()).extracting(a -> a.get("PolicyName").asText()).containsExactly("inline");
    }

    @Test
    void missingCommandIs127AndUnstartableSupervisionFailsClosed() throws Exception {
        var r = AgentProcess.run("--", "no-such-command-ward").await(dir);
        assertThat(r.exitCode()).isEqualTo(127);
        assertThat(r.stderr()).contains("no-such-command-ward: command not found");
        Path marker = dir.resolve("ran");
        var closed = AgentProcess.run("--workdir", "/nonexistent/dir", "--", "/usr/bin/touch", marker.toString())
                .await(dir);
        assertThat(closed.exitCode()).isEqualTo(1);
        assertThat(closed.stderr()).contains("refusing to start the workload unprotected");
        assertThat(marker).doesNotExist();
    }

    @Test
    void failOpenRunsTheWorkloadUnprotectedWhenTracingIsImpossible() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")),
                "strace is needed to occupy the tracer slot (.ci/run installs it)");
        // Under strace -f the workload already has a tracer, so PTRACE_SEIZE fails with EPERM.
        Path marker = dir.resolve("ran");
        var closed = AgentProcess.run("--", "/usr/bin/touch", marker.toString()).under("strace", "-f", "-qq",
                "-o", "/dev/null").await(dir);
        assertThat(closed.exitCode()).isEqualTo(1);
        assertThat(closed.stderr()).contains("PTRACE_SEIZE").contains("refusing to start the workload unprotected");
        assertThat(marker).doesNotExist();
        var open = AgentProcess.run("--fail-open", "--", "/usr/bin/touch", marker.toString())
                .under("strace", "-f", "-qq", "-o", "/dev/null").await(dir);
        assertThat(open.exitCode()).as(open.stderr()).isZero();
        assertThat(open.stderr()).contains("running the workload UNPROTECTED");
        assertThat(marker).exists();
    }

    @Test
    void policyFilesAreReloadedWhileTheWorkloadRunsAndBadOnesAreRejected() throws Exception {
        Path secret = secret();
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Path telemetry = dir.resolve("t.jsonl");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Path stop = dir.resolve("stop");
        Process agent = AgentProcess.run("--container-name", "armored-container", "--policy", policies.toString(),
                "--", "sh", "-c", readLoop(stop, "cat " + secret + " >/dev/null 2>&1"))
                .start(telemetry, out, err);
        awaitOutput(out, "read");
        Files.writeString(policies.resolve("block.yaml"), blockFile("live-block", secret.toString(), ""));
        awaitOutput(err, "rules now applied");
        long deniedAt = Files.readString(out).length();
        awaitOutput(out, "denied");
        // A broken change is rejected and the block stays in force.
        Files.writeString(policies.resolve("block.yaml"), "apiVersion: security.kubearmor.com/v1\nkind: [broken\n");
        awaitOutput(err, "policy change rejected");
        int before = Files.readString(out).length();
        Thread.sleep(400);
        String after = Files.readString(out).substring(before);
        assertThat(after).doesNotContain("read");
        Files.writeString(stop, "");
        var r = AgentProcess.finish(agent, telemetry, out, err);
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout().substring((int) deniedAt)).contains("denied");
        assertThat(r.alerts()).anySatisfy(a -> assertThat(a.get("PolicyName").asText()).isEqualTo("live-block"));
    }

    /**
     * With no rule about files at the start, read-only opens run untraced; a file rule that arrives later still
     * applies to the process that was already running (its filter is widened), not only to new ones.
     */
    @Test
    void aLaterFileRuleAppliesToAProcessStartedUnderANarrowFilter() throws Exception {
        Path secret = secret();
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Path telemetry = dir.resolve("t.jsonl");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Path stop = dir.resolve("stop");
        // `read < FILE` opens the file in the shell itself: the process that started before the policy.
        Process agent = AgentProcess.run("--container-name", "armored-container", "--policy", policies.toString(),
                "--", "sh", "-c", readLoop(stop, "read line < " + secret + " 2>/dev/null"))
                .env("WARD_DEBUG_STOPS", "1").start(telemetry, out, err);
        awaitOutput(out, "read");
        Files.writeString(policies.resolve("block.yaml"), blockFile("late-block", secret.toString(), ""));
        awaitOutput(err, "rules now applied");
        awaitOutput(out, "denied");
        Thread.sleep(300);
        Files.writeString(stop, "");
        var r = AgentProcess.finish(agent, telemetry, out, err);
        assertThat(r.exitCode()).isZero();
        String afterFirstDenial = r.stdout().substring(r.stdout().indexOf("denied"));
        assertThat(afterFirstDenial).as("once refused, always refused").doesNotContain("read");
        assertThat(r.stderr()).contains("trapped: file,capabilities (chosen from the policies)");
        assertThat(r.alerts()).anySatisfy(a -> {
            assertThat(a.get("PolicyName").asText()).isEqualTo("late-block");
            assertThat(a.get("Resource").asText()).isEqualTo(secret.toString());
        });
    }

    /** A shell loop that tries {@code attempt} every 50 ms, printing read or denied, until {@code stop} exists. */
    private static String readLoop(Path stop, String attempt) {
        return "while [ ! -e " + stop + " ]; do if " + attempt + "; then echo read; else echo denied; fi; sleep 0.05; done";
    }

    private static String awaitOutput(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L; // generous for emulation (the arm64 VM)
        while (System.nanoTime() < deadline) {
            String s = Files.exists(file) ? Files.readString(file) : "";
            if (s.contains(text)) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + text + "' in " + (Files.exists(file) ? Files.readString(file) : "(none)"));
    }
}
