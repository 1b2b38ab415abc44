package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathsTest {
    @ParameterizedTest
    @CsvSource({
        "/, /", "//, /", "/a/b, /a/b", "/a//b/, /a/b", "/a/./b/., /a/b", "/a/b/.., /a", "/a/../.., /",
        "/../etc/shadow, /etc/shadow", "/usr/./bin/../lib/x, /usr/lib/x", "/a/b/../../c, /c", "/.., /",
        "/a/..b/c, /a/..b/c", "/a/.b, /a/.b"})
    void normalize(String in, String expected) {
        byte[] bytes = in.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[4096];
        int n = Paths.normalize(bytes, bytes.length, out);
        assertThat(new String(out, 0, n, StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"/srv, ../etc/passwd, /etc/passwd", "/, x, /x", "/a/b, ./c, /a/b/c"})
    void joinThenNormalize(String base, String rel, String expected) {
        byte[] b = base.getBytes(StandardCharsets.UTF_8);
        byte[] r = rel.getBytes(StandardCharsets.UTF_8);
        byte[] joined = new byte[8192];
        int j = Paths.join(b, b.length, r, r.length, joined);
        byte[] out = new byte[4096];
        int n = Paths.normalize(joined, j, out);
        assertThat(new String(out, 0, n, StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void tooLongIsAnError() {
        byte[] in = ("/" + "a".repeat(5000)).getBytes(StandardCharsets.UTF_8);
        assertThat(Paths.normalize(in, in.length, new byte[4096])).isEqualTo(-dev.ward.bindings.Errno.ENAMETOOLONG);
    }
}
