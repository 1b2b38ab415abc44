package dev.ward.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StopSignalTest {
    @Test
    void readsDockersSpellings() {
        assertThat(StopSignal.number("SIGQUIT")).isEqualTo(3);
        assertThat(StopSignal.number("quit")).isEqualTo(3);
        assertThat(StopSignal.number(" 15 ")).isEqualTo(StopSignal.SIGTERM);
        assertThat(StopSignal.number("SIGWINCH")).isEqualTo(28);
        assertThat(StopSignal.number("40")).isEqualTo(40);
        assertThat(StopSignal.name(StopSignal.number(" usr2 "))).isEqualTo("SIGUSR2");
    }

    @Test
    void refusesWhatNamesNoSignal() {
        assertThat(StopSignal.number("SIGNOPE")).isEqualTo(-1);
        assertThat(StopSignal.number("65")).isEqualTo(-1);
        assertThat(StopSignal.number("0")).isEqualTo(-1);
        assertThat(StopSignal.number("")).isEqualTo(-1);
        assertThat(StopSignal.number("SIG")).isEqualTo(-1);
        assertThat(StopSignal.number("\u0663")).as("digits are ASCII, as the agent read them").isEqualTo(-1);
    }

    @Test
    void namesRoundTrip() {
        for (int n = 1; n <= 31; n++) {
            assertThat(StopSignal.number(StopSignal.name(n))).isEqualTo(n);
        }
        assertThat(StopSignal.name(40)).isEqualTo("signal 40");
    }
}
