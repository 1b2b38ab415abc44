package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracer polls for its next stop by default (with two CPUs or more) and stops polling where it does not pay:
 * a real agent, a real workload, and the agent's own account of how it waited (WARD_DEBUG_STOPS).
 */
@Tag("process")
class TracerPollingTest {
    private static final Pattern WAITS = Pattern.compile("waits: polls (\\d+) us \\((\\d+) pauses");

    @TempDir
    Path dir;

    /**
     * One open every 3 ms (bash's own redirection, then a read that times out on a pipe nobody writes, both without a
     * fork): no poll of 50 µs catches the next stop, so after a window of stops the tracer pauses its polling.
     */
    @Test
    void stopsFarApartPauseThePolling() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "polls only with two CPUs");
        String loop = "mkfifo " + dir.resolve("never") + "; exec 3<>" + dir.resolve("never")
                + "; for i in $(seq 700); do : </etc/hostname; read -t 0.003 -u 3; done; exit 0";
        var r = AgentProcess.run("--trap", "file", "--", "bash", "-c", loop).env("WARD_DEBUG_STOPS", "1").await(dir);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Matcher m = WAITS.matcher(r.stderr());
        assertThat(m.find()).as(r.stderr()).isTrue();
        assertThat(m.group(1)).isEqualTo("50");
        assertThat(Integer.parseInt(m.group(2))).as(r.stderr()).isPositive();
    }

    @Test
    void zeroTurnsPollingOff() throws Exception {
        var r = AgentProcess.run("--trap", "file", "--", "true").env("WARD_TRACER_SPIN_US", "0")
                .env("WARD_DEBUG_STOPS", "1").await(dir);
        assertThat(r.exitCode()).isZero();
        assertThat(r.stderr()).contains("waits: off");
    }
}
