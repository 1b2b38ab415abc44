package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.api.Entrypoint;
import dev.ward.api.StopSignal;
import dev.ward.bindings.Signals;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntrypointTest {
    @Test
    void envBlocksExactlyTheSignalsTheAgentForwards() {
        List<String> blocked = Arrays.stream(Entrypoint.BLOCK_SIGNALS.substring("--block-signal=".length()).split(","))
                .map(n -> "SIG" + n).sorted().toList();
        List<String> forwarded = Arrays.stream(SignalRelay.FORWARDED).mapToObj(Signals::name).sorted().toList();
        assertThat(blocked).isEqualTo(forwarded);
        assertThat(Entrypoint.PREFIX).contains(Entrypoint.BLOCK_SIGNALS, "_JAVA_SR_SIGNUM=" + SignalRelay.SR_SIGNUM,
                "WARD_SR_SIGNUM=1");
    }

    @Test
    void toolsReadStopSignalsAsTheAgentDoes() {
        // ward image embed writes --stop-signal with ward-api's names; ward run reads it with the bindings' table
        for (int n = 1; n <= 64; n++) {
            String name = Signals.name(n);
            assertThat(StopSignal.name(n)).as("signal %d", n).isEqualTo(name);
            assertThat(StopSignal.number(name)).isEqualTo(Signals.number(name));
            assertThat(StopSignal.number(Integer.toString(n))).isEqualTo(Signals.number(Integer.toString(n)));
        }
        for (String text : java.util.List.of("quit", "SIGNOPE", "65", "0", "SIG", " usr2 ")) {
            assertThat(StopSignal.number(text)).as(text).isEqualTo(Signals.number(text));
        }
    }

    @Test
    void recognisesThisAndTheEarlierEntrypoint() {
        List<String> now = new java.util.ArrayList<>(Entrypoint.PREFIX);
        now.addAll(List.of("run", "--", "nginx"));
        assertThat(Entrypoint.startsAgent(now)).isTrue();
        assertThat(Entrypoint.startsAgent(List.of("/ward/bin/java", "@/ward/ward.args", "run", "--", "nginx"))).isTrue();
        assertThat(Entrypoint.startsAgent(List.of("nginx", "-g", "daemon off;"))).isFalse();
        assertThat(Entrypoint.startsAgent(List.of())).isFalse();
        // an application argument that happens to equal the argfile, far from the start, is not the agent
        assertThat(Entrypoint.startsAgent(List.of("a", "b", "c", "d", "e", "f", "@/ward/ward.args"))).isFalse();
    }
}
