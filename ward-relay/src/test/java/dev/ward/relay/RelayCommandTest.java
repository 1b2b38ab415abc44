package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ward relay refuses to start half-configured, and says what to set. */
class RelayCommandTest {
    @TempDir
    Path dir;

    private NettyRelay.Run run(Map<String, String> env, String... args) {
        RelayCommand command = new RelayCommand();
        command.env = env;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new NettyRelay.Run(exit, out.toString(), err.toString());
    }

    @Test
    void withoutAnAgentTokenTheRelayDoesNotStart() {
        var r = run(Map.of(), "--store", dir.resolve("r.db").toString(), "--port", "0", "--metrics-port", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("needs an agent token").contains("WARD_RELAY_AGENT_TOKEN");
    }

    @Test
    void optionMistakesAreUsageErrors() {
        Map<String, String> env = Map.of("WARD_RELAY_AGENT_TOKEN", "t");
        var half = run(env, "--tls-cert", dir.resolve("c.pem").toString(), "--port", "0");
        assertThat(half.exit()).isEqualTo(2);
        assertThat(half.err()).contains("--tls-cert and --tls-key go together");
        var retention = run(env, "--retention", "forever", "--port", "0");
        assertThat(retention.exit()).isEqualTo(2);
        assertThat(retention.err()).contains("--retention forever").contains("7d");
    }

    @Test
    void theConsoleNeedsALoginToken() {
        var r = run(Map.of("WARD_RELAY_AGENT_TOKEN", "t"), "--store", dir.resolve("r.db").toString(), "--port", "0",
                "--metrics-port", "0", "--console-port", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--console-port needs a read or admin token").contains("WARD_RELAY_READ_TOKEN")
                .contains("show the fleet to anyone");
    }

    @Test
    void theConsoleOptionsSayWhatIsMissing() {
        Map<String, String> env = Map.of("WARD_RELAY_AGENT_TOKEN", "t", "WARD_RELAY_READ_TOKEN", "r");
        // ward-relay's own class path has no ward-console: the relay says so instead of starting without it.
        var none = run(env, "--store", dir.resolve("r.db").toString(), "--port", "0", "--metrics-port", "0",
                "--console-port", "0");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--console-port: this relay has no console (ward-console is not on the class "
                + "path");
        var listenAlone = run(env, "--console-listen", "127.0.0.1", "--port", "0");
        assertThat(listenAlone.exit()).isEqualTo(2);
        assertThat(listenAlone.err()).contains("--console-listen needs --console-port");
        var help = run(env, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--console-port=PORT").contains("--console-listen=ADDRESS");
    }
}
