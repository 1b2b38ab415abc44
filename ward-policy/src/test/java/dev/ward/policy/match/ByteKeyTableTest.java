package dev.ward.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteKeyTableTest {

    @Test
    void looksUpSlicesOfABuffer() {
        var b = new ByteKeyTable.Builder<Integer>();
        for (int i = 0; i < 5000; i++) {
            b.put("k" + i, i);
        }
        b.put("etc", -1);
        ByteKeyTable<Integer> t = b.build();
        assertThat(t.size()).isEqualTo(5001);
        byte[] path = "/etc/passwd".getBytes(StandardCharsets.UTF_8);
        assertThat(t.get(path, 1, 3)).isEqualTo(-1);
        assertThat(t.get(path, 1, 2)).isNull();
        assertThat(t.get(path, 5, 6)).isNull();
        for (int i = 0; i < 5000; i++) {
            assertThat(t.get("k" + i)).isEqualTo(i);
        }
        assertThat(t.get("k5000")).isNull();
        assertThat(t.get("")).isNull();
    }

    @Test
    void emptyTables() {
        ByteKeyTable<String> t = new ByteKeyTable.Builder<String>().build();
        assertThat(t.size()).isZero();
        assertThat(t.get("x")).isNull();
        assertThat(new ByteKeyTable.Builder<String>().put("", "empty").build().get("")).isEqualTo("empty");
    }
}
