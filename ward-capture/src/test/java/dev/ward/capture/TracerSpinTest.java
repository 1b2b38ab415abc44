package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TracerSpinTest {
    @Test
    void pollingIsOffByDefaultAndOnOneCpu() {
        assertThat(Tracer.spinNanos(null, 4)).isZero();
        assertThat(Tracer.spinNanos("", 4)).isZero();
        assertThat(Tracer.spinNanos("100", 1)).as("one CPU: polling would starve the tracee").isZero();
    }

    @Test
    void aSettingIsMicrosecondsCappedAtTenMilliseconds() {
        assertThat(Tracer.spinNanos("50", 2)).isEqualTo(50_000);
        assertThat(Tracer.spinNanos(" 200 ", 8)).isEqualTo(200_000);
        assertThat(Tracer.spinNanos("99999", 2)).isEqualTo(10_000_000);
        assertThat(Tracer.spinNanos("0", 2)).isZero();
        assertThat(Tracer.spinNanos("fast", 2)).isZero();
    }
}
