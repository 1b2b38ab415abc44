package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.testing.CPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A log's UID and Cwd under a stream of logged events, which the tracer keeps per process and thread instead of
 * reading /proc at each report: after setuid, chdir, fchdir, a rename of the cwd or an fchdir the spawn gate answered,
 * in the thread that made the change, in its other threads and in a child forked after it. Only file events are
 * logged (--visibility file), so the setuid family stops only because the logs keep uids.
 */
@Tag("process")
class ReportFactsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"setuid", "setreuid", "setresuid"})
    void aUidChangeShowsInTheNextOpenOfEveryThreadAndChild(String call) throws Exception {
        Assumptions.assumeTrue((int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "root, to change uid");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        var r = run("uid", call, dir.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(uid(r, "before")).isZero();
        assertThat(uid(r, "thread")).isEqualTo(65534);
        assertThat(uid(r, "after")).isEqualTo(65534);
        assertThat(uid(r, "child")).isEqualTo(65534);
    }

    @Test
    void aCwdChangeShowsInTheNextOpenOfEveryThreadSharingItAndOfChildren() throws Exception {
        Path d1 = Files.createDirectories(dir.resolve("one"));
        Path d2 = Files.createDirectories(dir.resolve("two"));
        var r = run("cwd", d1.toString(), d2.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(cwd(r, d1.resolve("before"))).isEqualTo(d1.toString());
        assertThat(cwd(r, d2.resolve("thread"))).isEqualTo(d2.toString());
        assertThat(cwd(r, d2.resolve("after"))).isEqualTo(d2.toString());
        assertThat(cwd(r, d2.resolve("child"))).isEqualTo(d2.toString());
        assertThat(cwd(r, d1.resolve("child-moved"))).isEqualTo(d1.toString());
        assertThat(cwd(r, d2.resolve("parent"))).as("a child's chdir is its own").isEqualTo(d2.toString());
        assertThat(cwd(r, d1.resolve("fchdir"))).isEqualTo(d1.toString());
        assertThat(cwd(r, d2.resolve("sub/sub"))).isEqualTo(d2.resolve("sub").toString());
        assertThat(cwd(r, d2.resolve("moved/renamed"))).as("the cwd renamed").isEqualTo(d2.resolve("moved").toString());
    }

    @Test
    void anFchdirTheSpawnGateAnswersStillChangesTheCwdReported() throws Exception {
        Path d1 = Files.createDirectories(dir.resolve("one"));
        Path d2 = Files.createDirectories(dir.resolve("two"));
        var r = run("gate", d1.toString(), d2.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<JsonNode> g2 = opens(r, d2.resolve("g2"));
        assertThat(g2).hasSizeGreaterThan(900); // every free descriptor number, the gate's among them
        assertThat(r.stdout()).contains("tried=" + g2.size());
        assertThat(g2).allSatisfy(l -> assertThat(l.get("Cwd").asText()).isEqualTo(d2.toString()));
        assertThat(opens(r, d1.resolve("g1"))).hasSize(g2.size())
                .allSatisfy(l -> assertThat(l.get("Cwd").asText()).isEqualTo(d1.toString()));
    }

    private AgentProcess.Result run(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("--log-filter", "all", "--visibility", "file", "--",
                CPrograms.get("facts", "-pthread").toString()));
        command.addAll(List.of(args));
        return AgentProcess.run(command.toArray(String[]::new)).await(dir);
    }

    private static List<JsonNode> opens(AgentProcess.Result r, Path file) {
        return r.logs().stream().filter(l -> l.get("Resource").asText().equals(file.toString())).toList();
    }

    private int uid(AgentProcess.Result r, String name) {
        List<JsonNode> logs = opens(r, dir.resolve(name));
        assertThat(logs).as(name).hasSize(1);
        return logs.get(0).get("UID").asInt();
    }

    private static String cwd(AgentProcess.Result r, Path file) {
        List<JsonNode> logs = opens(r, file);
        assertThat(logs).as(file.toString()).hasSize(1);
        return logs.get(0).get("Cwd").asText();
    }
}
