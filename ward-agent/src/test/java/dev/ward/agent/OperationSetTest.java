package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** OperationSet's written-out equals and hashCode keep a record's meaning: equal exactly when every part is. */
class OperationSetTest {
    @Test
    void equalExactlyWhenEveryOperationIsTheSame() {
        Set<Integer> hashes = new HashSet<>();
        for (int bits = 0; bits < 16; bits++) {
            OperationSet a = of(bits);
            assertThat(a).isEqualTo(of(bits)).hasSameHashCodeAs(of(bits));
            hashes.add(a.hashCode());
            for (int other = 0; other < 16; other++) {
                if (other != bits) {
                    assertThat(a).isNotEqualTo(of(other));
                }
            }
        }
        assertThat(hashes).hasSize(16);
        assertThat(OperationSet.parse("--trap", "process,file,network,capabilities")).isEqualTo(OperationSet.ALL);
        assertThat(OperationSet.ALL).isNotEqualTo(null).isNotEqualTo("process,file,network,capabilities");
    }

    private static OperationSet of(int bits) {
        return new OperationSet((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0);
    }
}
