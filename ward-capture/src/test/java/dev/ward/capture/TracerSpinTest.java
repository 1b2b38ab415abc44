package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TracerSpinTest {
    @Test
    void pollingIsOnByDefaultWithTwoCpusAndOffOnOne() {
        assertThat(TracerSettings.spinNanos(null, 2)).isEqualTo(TracerSettings.DEFAULT_SPIN_MICROS * 1_000);
        assertThat(TracerSettings.spinNanos("", 4)).isEqualTo(TracerSettings.DEFAULT_SPIN_MICROS * 1_000);
        assertThat(TracerSettings.spinNanos(null, 1)).as("one CPU: polling would starve the tracee").isZero();
        assertThat(TracerSettings.spinNanos("100", 1)).as("one CPU: polling would starve the tracee").isZero();
    }

    @Test
    void aSettingIsMicrosecondsCappedAtTenMilliseconds() {
        assertThat(TracerSettings.spinNanos("50", 2)).isEqualTo(50_000);
        assertThat(TracerSettings.spinNanos(" 200 ", 8)).isEqualTo(200_000);
        assertThat(TracerSettings.spinNanos("99999", 2)).isEqualTo(10_000_000);
        assertThat(TracerSettings.spinNanos("0", 2)).isZero();
        assertThat(TracerSettings.spinNanos("fast", 2)).as("refused by ward run; the default here")
                .isEqualTo(TracerSettings.DEFAULT_SPIN_MICROS * 1_000);
        assertThatThrownBy(() -> TracerSettings.spinMicros("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("WARD_TRACER_SPIN_US='fast': expected microseconds");
    }

    @Test
    void followingTheBusiestTraceeIsOffByDefaultAndAsksForFollowOrOff() {
        assertThat(TracerSettings.follow(null)).isFalse();
        assertThat(TracerSettings.follow(" ")).isFalse();
        assertThat(TracerSettings.follow("follow")).isTrue();
        assertThat(TracerSettings.follow(" Follow ")).isTrue();
        assertThat(TracerSettings.follow("OFF")).isFalse();
        assertThatThrownBy(() -> TracerSettings.follow("on")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("WARD_TRACER_AFFINITY='on': expected follow");
    }
}
