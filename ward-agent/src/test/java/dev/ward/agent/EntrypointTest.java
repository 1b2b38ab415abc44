package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.api.Entrypoint;
import dev.ward.api.StopSignal;
import dev.ward.bindings.Signals;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntrypointTest {
    @Test
    void envBlocksExactlyTheSignalsTheAgentForwards() {
        List<String> blocked = Arrays.stream(Entrypoint.BLOCK_SIGNALS.substring("--block-signal=".length()).split(","))
                .map(n -> "SIG" + n).sorted().toList();
        List<String> forwarded = Arrays.stream(SignalRelay.FORWARDED).mapToObj(StopSignal::name).sorted().toList();
        assertThat(blocked).isEqualTo(forwarded);
        assertThat(Entrypoint.PREFIX).contains(Entrypoint.BLOCK_SIGNALS, "_JAVA_SR_SIGNUM=" + SignalRelay.SR_SIGNUM,
                "WARD_SR_SIGNUM=1");
    }

    @Test
    void theBindingsSignalNumbersAgreeWithTheSharedTable() throws Exception {
        // ward-api's StopSignal is the one table of names; the bindings keep the numbers their calls use
        List<String> checked = new java.util.ArrayList<>();
        for (Field f : Signals.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && f.getName().matches("SIG[A-Z0-9]+")) {
                assertThat(StopSignal.number(f.getName())).as(f.getName()).isEqualTo(f.getInt(null));
                assertThat(StopSignal.name(f.getInt(null))).isEqualTo(f.getName());
                checked.add(f.getName());
            }
        }
        assertThat(checked).contains("SIGKILL", "SIGTERM", "SIGTRAP", "SIGWINCH");
        assertThat(StopSignal.SIGTERM).isEqualTo(Signals.SIGTERM);
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
