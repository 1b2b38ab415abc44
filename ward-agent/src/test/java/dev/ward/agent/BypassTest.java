package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.testing.CPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3's list of ways around a path-string enforcer, each run for real under the agent: the
 * decision must be about the file actually reached. Policy: Block the secret file, Block /usr/bin/id.
 */
@Tag("process")
class BypassTest {
    @TempDir
    Path dir;

    private AgentProcess.Result run(String mode) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "hunter2\n");
        Files.writeString(dir.resolve("ok"), "fine\n");
        Files.createLink(dir.resolve("hard"), secret); // a second name made before the agent starts
        Path policy = BlockPolicy.write(dir.resolve("policy.yaml"), secret);
        Path program = CPrograms.get("bypass", "-pthread");
        Path work = Files.createDirectories(dir.resolve("work"));
        return AgentProcess.run("--container-name", "app", "--policy", policy.toString(), "--", program.toString(),
                dir.toRealPath().toString(), mode).in(work).await(work);
    }

    /**
     * A second thread flips the path buffer between the check and the kernel's copy. A multi-threaded process
     * has its opens decided in full at entry; when it still wins the race, the exit check finds the secret
     * and kills it (another thread could use the descriptor before a revocation). Either way it never reads.
     */
    @org.junit.jupiter.api.Test
    void theRacingProcessNeverReadsTheSecret() throws Exception {
        var r = run("race");
        assertThat(r.stdout()).as(r.stderr()).doesNotContain("race read");
        assertThat(r.stdout().isEmpty() || r.stdout().startsWith("race denied")).as(r.stdout()).isTrue();
        assertThat(r.alerts()).isNotEmpty()
                .allSatisfy(a -> assertThat(a.get("Action").asText()).isEqualTo("Block"));
        if (r.stdout().isEmpty()) {
            assertThat(r.exitCode()).as("killed").isEqualTo(128 + 9);
            assertThat(r.alerts()).anySatisfy(a -> assertThat(a.get("Result").asText()).contains("killed"));
        }
    }

    /**
     * Another process races each open (a shared memory page rewritten, a directory exchanged for one where the same
     * name is a symlink to the secret, a symlink pointed at a plain file's directory and at the secret's): opens of
     * a single-threaded process may be decided at their entry alone, and no race may get the secret through. Tagged
     * timing: 20,000 trapped opens each, about half of them Blocked with an alert (10,000-11,000): 13-18 s on an
     * x86_64 host, over the agent's 180 s bound under the arm64 VM's emulation (dirswap alone, or shmrace beside
     * another test on a loaded host).
     */
    @ParameterizedTest
    @ValueSource(strings = {"shmrace", "dirswap", "linkswap"})
    @Tag("timing")
    void anotherProcessRacingTheOpenNeverGetsTheSecretThrough(String mode) throws Exception {
        var r = run(mode);
        assertThat(r.stdout()).as(r.stderr()).startsWith(mode + " denied reads=0 of 20000");
        assertThat(r.exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"symlink", "hardlink", "dotdot", "dirfd", "procroot", "proccwd", "procfd", "openat2"})
    void readsOfTheSecretByAnyRouteAreDenied(String mode) throws Exception {
        var r = run(mode);
        assertThat(r.stdout()).as(r.stderr()).startsWith(mode + " denied");
        assertThat(r.alerts()).as("an alert for " + mode).isNotEmpty();
        assertThat(r.alerts()).allSatisfy(a -> assertThat(a.get("Action").asText()).isEqualTo("Block"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"newhardlink", "creat", "rename"})
    void changingTheSecretOrGivingItAnotherNameIsDenied(String mode) throws Exception {
        var r = run(mode);
        assertThat(r.stdout()).as(r.stderr()).startsWith(mode + " denied errno=13");
        assertThat(Files.readString(dir.resolve("secret"))).isEqualTo("hunter2\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"execsymlink", "execveat"})
    void theBlockedBinaryDoesNotRunUnderAnotherName(String mode) throws Exception {
        var r = run(mode);
        assertThat(r.stdout()).as(r.stderr()).doesNotContain("uid=");
        assertThat(r.alerts()).anySatisfy(a -> assertThat(a.get("Resource").asText()).startsWith("/usr/bin/id"));
        // As KubeArmor reports a blocked exec: the binary as ProcessName, its caller as the parent.
        assertThat(r.alerts()).allSatisfy(a -> {
            assertThat(a.get("ProcessName").asText()).isEqualTo("/usr/bin/id");
            assertThat(a.get("ParentProcessName").asText())
                    .endsWith("/" + CPrograms.get("bypass", "-pthread").getFileName());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring"})
    void ioUringIsNotAvailable(String mode) throws Exception {
        assertThat(run(mode).stdout()).startsWith("uring denied errno=13");
    }
}
