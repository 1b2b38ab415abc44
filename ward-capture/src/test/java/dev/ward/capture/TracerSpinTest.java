package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TracerSpinTest {
    @Test
    void pollingIsOffByDefaultAndOnOneCpu() {
        assertThat(TracerSettings.spinNanos(null, 4)).isZero();
        assertThat(TracerSettings.spinNanos("", 4)).isZero();
        assertThat(TracerSettings.spinNanos("100", 1)).as("one CPU: polling would starve the tracee").isZero();
    }

    @Test
    void aSettingIsMicrosecondsCappedAtTenMilliseconds() {
        assertThat(TracerSettings.spinNanos("50", 2)).isEqualTo(50_000);
        assertThat(TracerSettings.spinNanos(" 200 ", 8)).isEqualTo(200_000);
        assertThat(TracerSettings.spinNanos("99999", 2)).isEqualTo(10_000_000);
        assertThat(TracerSettings.spinNanos("0", 2)).isZero();
        assertThat(TracerSettings.spinNanos("fast", 2)).isZero();
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
