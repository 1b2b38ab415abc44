package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 21, item 12: every option and environment setting of {@code ward run} with a bad value is one line naming
 * it and the accepted values, exit 2, before anything starts; never a stack trace.
 */
class RunSettingsTest {
    @TempDir
    Path dir;

    /** The problem {@code ward run ARGS -- true} reports with {@code env}, or null. */
    private static String problem(Map<String, String> env, String... args) {
        RunCommand c = new RunCommand();
        new CommandLine(c).parseArgs(concat(args));
        return c.problem(env);
    }

    private static String[] concat(String[] args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--";
        all[args.length + 1] = "true";
        return all;
    }

    @Test
    void validAndUnsetSettingsPass() {
        assertThat(problem(Map.of())).isNull();
        assertThat(problem(Map.of("WARD_DEFAULT_POSTURE", "Deny", "WARD_DEFAULT_NETWORK_POSTURE", "allow",
                "WARD_LOG_FILTER", "ALL", "WARD_VISIBILITY", "process,file", "WARD_TRAP", "process",
                "WARD_REQUIRE_POLICY", "true", "WARD_TRACER_SPIN_US", "200"))).isNull();
        assertThat(problem(Map.of(), "--log-filter", "system", "--stop-signal", "QUIT", "--queue-size", "1")).isNull();
    }

    @Test
    void packsAndOutputFormatsAreCheckedBeforeAnythingStarts() {
        assertThat(problem(Map.of(), "--pack", "default", "--output-format", "falco")).isNull();
        assertThat(problem(Map.of("WARD_PACK", " default, ", "WARD_OUTPUT_FORMAT", "KubeArmor"))).isNull();
        assertThat(problem(Map.of(), "--pack", "strict"))
                .isEqualTo("--pack: no policy pack 'strict' (expected one of: default)");
        assertThat(problem(Map.of("WARD_PACK", "default,strict")))
                .isEqualTo("WARD_PACK: no policy pack 'strict' (expected one of: default)");
        assertThat(problem(Map.of("WARD_OUTPUT_FORMAT", "falco"), "--output-format", "cef"))
                .isEqualTo("--output-format must be kubearmor or falco, got 'cef'");
        assertThat(problem(Map.of("WARD_OUTPUT_FORMAT", "cef")))
                .isEqualTo("WARD_OUTPUT_FORMAT must be kubearmor or falco, got 'cef'");
    }

    @Test
    void everyPostureVariableNamesItselfAndTheValues() {
        for (String v : List.of("WARD_DEFAULT_POSTURE", "WARD_DEFAULT_FILE_POSTURE", "WARD_DEFAULT_NETWORK_POSTURE",
                "WARD_DEFAULT_CAPABILITIES_POSTURE")) {
            assertThat(problem(Map.of(v, "deny2"))).isEqualTo(v + "=deny2 is not a posture (expected block, audit or "
                    + "allow)");
        }
    }

    @Test
    void settingsNameTheVariableOrTheOptionTheValueCameFrom() {
        assertThat(problem(Map.of("WARD_LOG_FILTER", "alerts")))
                .isEqualTo("WARD_LOG_FILTER must be policy, system or all, got 'alerts'");
        assertThat(problem(Map.of("WARD_LOG_FILTER", "all"), "--log-filter", "alerts"))
                .isEqualTo("--log-filter must be policy, system or all, got 'alerts'");
        assertThat(problem(Map.of("WARD_VISIBILITY", "proces"))).startsWith("WARD_VISIBILITY: unknown operation 'proces'");
        assertThat(problem(Map.of(), "--visibility", "proces")).startsWith("--visibility: unknown operation 'proces'");
        assertThat(problem(Map.of("WARD_TRAP", "files"))).startsWith("WARD_TRAP: unknown operation 'files'");
        assertThat(problem(Map.of(), "--trap", "files")).startsWith("--trap: unknown operation 'files'");
        assertThat(problem(Map.of("WARD_REQUIRE_POLICY", "yes"))).isEqualTo("WARD_REQUIRE_POLICY='yes': expected 1 or "
                + "true (hold the workload until the relay's policies arrive), 0 or false");
        assertThat(problem(Map.of("WARD_TRACER_SPIN_US", "fast"))).startsWith("WARD_TRACER_SPIN_US='fast': expected "
                + "microseconds");
        assertThat(problem(Map.of("WARD_TRACER_AFFINITY", "pin"))).isEqualTo("WARD_TRACER_AFFINITY='pin': expected "
                + "follow (keep the tracer on the CPU of the thread that stops most) or off");
        assertThat(problem(Map.of("WARD_TRACER_AFFINITY", " Off "))).isNull();
        assertThat(problem(Map.of(), "--stop-signal", "SIGNOPE"))
                .isEqualTo("--stop-signal 'SIGNOPE': expected a signal name or number (SIGQUIT, QUIT, 3)");
        assertThat(problem(Map.of(), "--queue-size", "0")).isEqualTo("--queue-size must be at least 1 (events buffered "
                + "before new ones are dropped), got 0");
    }

    /** The command line, through the real agent JVM. */
    @Test
    @Tag("process")
    void aBadPostureIsOneLineAndExitTwo() throws Exception {
        var r = AgentProcess.run("--", "true").env("WARD_DEFAULT_POSTURE", "deny2").await(dir);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("ward run: WARD_DEFAULT_POSTURE=deny2 is not a posture (expected block, audit "
                + "or allow)\n");
        var q = AgentProcess.run("--queue-size", "0", "--", "true").await(dir);
        assertThat(q.exitCode()).isEqualTo(2);
        assertThat(q.stderr()).startsWith("ward run: --queue-size must be at least 1").doesNotContain("Exception");
    }
}
