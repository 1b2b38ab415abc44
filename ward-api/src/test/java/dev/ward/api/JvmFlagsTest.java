package dev.ward.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JvmFlagsTest {
    @Test
    void theAgentGetsItsSignalsAndSmallHeapAndTheOtherCommandsALargerOne() {
        assertThat(JvmFlags.agent()).startsWith("-Xrs").contains("-XX:+UseSerialGC", "-Xmx64m",
                "-XX:UserThreadWaitAttemptsAtExit=0", "--enable-native-access=ALL-UNNAMED", "-XX:+DisableAttachMechanism")
                .doesNotContain("-Xmx512m");
        assertThat(JvmFlags.cli()).contains("-XX:+UseSerialGC", "-Xmx512m").doesNotContain("-Xrs", "-Xmx64m");
    }

    @Test
    void scopesCommentsAndBlankLines() {
        String text = "# comment\n\nrun -Xrs\n-Xss256k\ncli -Xmx512m\n  run   -Xmx64m  \n";
        assertThat(JvmFlags.parse(text, "run")).containsExactly("-Xrs", "-Xss256k", "-Xmx64m");
        assertThat(JvmFlags.parse(text, "cli")).containsExactly("-Xss256k", "-Xmx512m");
    }

    @Test
    void aLineThatIsNoFlagIsRefusedWithItsNumber() {
        assertThatThrownBy(() -> JvmFlags.parse("-Xss256k\nagent -Xrs\n", "run"))
                .hasMessageContaining("jvm.flags line 2").hasMessageContaining("'agent -Xrs'");
        assertThatThrownBy(() -> JvmFlags.parse("Xss256k\n", "run")).hasMessageContaining("line 1");
    }
}
