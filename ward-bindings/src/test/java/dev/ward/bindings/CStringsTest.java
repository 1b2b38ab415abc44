package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** C strings and argv/envp arrays as the kernel and posix_spawn read them. */
class CStringsTest {
    @Test
    void aStringIsItsUtf8BytesAndOneNul() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = CStrings.of(arena, "/tmp/é x");
            byte[] utf8 = "/tmp/é x".getBytes(StandardCharsets.UTF_8);
            assertThat(s.byteSize()).isEqualTo(utf8.length + 1L);
            assertThat(s.asSlice(0, utf8.length).toArray(JAVA_BYTE)).isEqualTo(utf8);
            assertThat(s.get(JAVA_BYTE, utf8.length)).isZero();
            assertThat(CStrings.of(arena, "").byteSize()).isEqualTo(1);
        }
    }

    @Test
    void anArrayPointsAtEachStringInOrderAndEndsWithNull() {
        try (Arena arena = Arena.ofConfined()) {
            List<String> values = List.of("A=1", "PATH=/usr/bin:/bin", "");
            MemorySegment array = CStrings.array(arena, values);
            assertThat(array.byteSize()).isEqualTo(8L * (values.size() + 1));
            for (int i = 0; i < values.size(); i++) {
                MemorySegment s = MemorySegment.ofAddress(array.getAtIndex(JAVA_LONG, i))
                        .reinterpret(Integer.MAX_VALUE);
                assertThat(s.getString(0)).isEqualTo(values.get(i));
            }
            assertThat(array.getAtIndex(JAVA_LONG, values.size())).isZero();
            assertThat(CStrings.array(arena, List.of()).get(JAVA_LONG, 0)).isZero();
        }
    }
}
