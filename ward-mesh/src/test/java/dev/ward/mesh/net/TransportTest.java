package dev.ward.mesh.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The mesh's transport turns Netty's leak detector off (a stack trace per sampled buffer on the loop thread). */
class TransportTest {

    @Test
    void leakDetectionIsOffUnlessALevelWasAskedFor() {
        assumeTrue(System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null, "a level was asked for");
        try (Transport transport = new Transport()) {
            assertThat(transport.allocator()).isNotNull();
            assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
