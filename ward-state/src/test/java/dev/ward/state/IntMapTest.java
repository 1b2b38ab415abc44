package dev.ward.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntMapTest {
    @Test
    void behavesLikeAHashMapUnderRandomOperations() {
        IntMap<String> map = new IntMap<>(4);
        Map<Integer, String> reference = new HashMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            int key = random.nextInt(2000) - 100;
            switch (random.nextInt(3)) {
                case 0 -> {
                    map.put(key, "v" + i);
                    reference.put(key, "v" + i);
                }
                case 1 -> assertThat(map.remove(key)).isEqualTo(reference.remove(key));
                default -> assertThat(map.get(key)).isEqualTo(reference.get(key));
            }
            assertThat(map.size()).isEqualTo(reference.size());
        }
        for (Map.Entry<Integer, String> e : reference.entrySet()) {
            assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    void processTableFollowsForkExecExit() {
        ProcessTable t = new ProcessTable();
        t.root(10, 1, "/bin/sh", 0);
        t.fork(10, 11);
        assertThat(t.get(11).exeString()).isEqualTo("/bin/sh");
        assertThat(t.get(11).ppid()).isEqualTo(10);
        byte[] cat = "/usr/bin/cat".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        t.exec(11, cat, cat.length);
        assertThat(t.get(11).exeString()).isEqualTo("/usr/bin/cat");
        assertThat(t.get(10).exeString()).isEqualTo("/bin/sh");
        t.exit(11);
        assertThat(t.get(11)).isNull();
        assertThat(t.size()).isEqualTo(1);
    }
}
