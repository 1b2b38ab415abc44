package dev.ward.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.api.telemetry.Sink;
import dev.ward.api.telemetry.Telemetry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ExporterTest {
    /** A sink that blocks until released: the slowest possible destination. */
    static final class StuckSink implements Sink {
        final CountDownLatch release = new CountDownLatch(1);
        int written;

        @Override
        public void write(Telemetry t) throws java.io.IOException {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written++;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aStuckSinkNeverBlocksOfferAndDropsAreCountedAndReported() {
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        StuckSink sink = new StuckSink();
        Exporter exporter = new Exporter(10, new PrintStream(diag, true, StandardCharsets.UTF_8), sink);
        long start = System.nanoTime();
        int accepted = 0;
        for (int i = 0; i < 10_000; i++) {
            if (exporter.offer(new Telemetry())) {
                accepted++;
            }
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMillis).as("10,000 offers to a stuck sink").isLessThan(5_000);
        // the queue, plus the batch the exporter took before the first write got stuck (at most a queue's worth)
        assertThat(accepted).isBetween(10, 21);
        assertThat(exporter.dropped()).isEqualTo(10_000 - accepted);
        sink.release.countDown();
        exporter.close(5_000);
        assertThat(sink.written).isEqualTo(accepted);
        assertThat(diag.toString(StandardCharsets.UTF_8)).contains("dropped").contains(
                Long.toString(exporter.dropped()) + " in total");
    }

    @Test
    @Tag("timing") // a one-second bound: not met reliably under emulation (the arm64 VM)
    void anEventOfferedToAnIdleExporterIsWrittenWithinItsSleepAndCloseWritesTheRest() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Long> writtenAt = new java.util.concurrent.LinkedBlockingQueue<>();
        Sink timing = new Sink() {
            @Override
            public void write(Telemetry t) {
                writtenAt.add(System.nanoTime());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Exporter exporter = new Exporter(100, System.err, timing);
        Thread.sleep(50); // idle: the exporter thread sleeps between looks at the queue
        long offered = System.nanoTime();
        assertThat(exporter.offer(new Telemetry())).isTrue();
        Long at = writtenAt.poll(5, TimeUnit.SECONDS);
        assertThat(at).as("written at all").isNotNull();
        // its sleep (10 ms) plus scheduling slack on a shared machine
        assertThat((at - offered) / 1_000_000).isLessThan(1_000);
        for (int i = 0; i < 50; i++) {
            exporter.offer(new Telemetry());
        }
        exporter.close(5_000);
        assertThat(exporter.written()).isEqualTo(51);
        assertThat(writtenAt).hasSize(50);
    }

    @Test
    void anIdleExporterSleepsUntilAnOfferWakesItAndThenWritesAtOnce() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Telemetry> written = new java.util.concurrent.LinkedBlockingQueue<>();
        Sink sink = new Sink() {
            @Override
            public void write(Telemetry t) {
                written.add(t);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        try (Exporter exporter = new Exporter(100, System.err, sink)) {
            exporter.offer(new Telemetry());
            assertThat(written.poll(5, TimeUnit.SECONDS)).as("written while awake").isNotNull();
            // Idle: short naps (TIMED_WAITING) for about a second, then a sleep with no deadline (WAITING).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (exporter.thread().getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(exporter.thread().getState()).as("asleep with no deadline").isEqualTo(Thread.State.WAITING);
            Thread.sleep(200);
            assertThat(exporter.thread().getState()).as("still asleep: no periodic wake-up")
                    .isEqualTo(Thread.State.WAITING);
            Telemetry late = new Telemetry();
            assertThat(exporter.offer(late)).isTrue();
            assertThat(written.poll(5, TimeUnit.SECONDS)).as("the offer woke it").isSameAs(late);
        }
    }
}
