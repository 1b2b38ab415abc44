package dev.ward.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.testing.FreshThread;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The calling thread's affinity and another thread's CPU, against the real kernel (on a thread of its own). */
class AffinityTest {
    @Test
    void pinsTheCallingThreadAndRestoresItsSet() throws Exception {
        FreshThread.run(() -> {
            List<Integer> allowed = allowed();
            Affinity a = new Affinity();
            assertThat(a.cpus()).isEqualTo(allowed.size());
            int cpu = allowed.getLast();
            assertThat(a.allows(cpu)).isTrue();
            assertThat(a.pin(cpu)).isZero();
            assertThat(allowed()).containsExactly(cpu);
            assertThat(a.processor(Posix.gettid())).as("a running thread's processor is where it runs").isEqualTo(cpu);
            assertThat(a.processor(Posix.gettid())).as("read again through the kept descriptor").isEqualTo(cpu);
            assertThat(a.restore()).isZero();
            assertThat(allowed()).isEqualTo(allowed);
            assertThat(a.pin(1023)).as("outside the set it started with").isEqualTo(-Errno.EINVAL);
            assertThat(a.allows(-1)).isFalse();
            assertThat(a.processor(999_999_999)).isEqualTo(-Errno.ENOENT);
            a.forget();
        });
    }

    @Test
    void theProcessorFieldIsCountedAfterTheCommandsLastParenthesis() {
        StringBuilder line = new StringBuilder("4242 (we) ird) name) S");
        for (int field = 4; field <= 52; field++) {
            line.append(' ').append(field == 39 ? 5 : field * 11);
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(Affinity.parseProcessor(bytes, bytes.length)).isEqualTo(5);
        byte[] cut = "4242 (x) S 1 2 3".getBytes(StandardCharsets.US_ASCII);
        assertThat(Affinity.parseProcessor(cut, cut.length)).isEqualTo(-Errno.EINVAL);
        byte[] none = "4242 x S".getBytes(StandardCharsets.US_ASCII);
        assertThat(Affinity.parseProcessor(none, none.length)).isEqualTo(-Errno.EINVAL);
    }

    /** The calling thread's Cpus_allowed_list, expanded ("0-2,5" is 0, 1, 2, 5). */
    static List<Integer> allowed() {
        List<Integer> cpus = new ArrayList<>();
        for (String range : FreshThread.allowedList().split(",")) {
            String[] ends = range.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = Integer.parseInt(ends[ends.length - 1]);
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }
}
