package dev.ward.mesh.hbone;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where a chunked body ends, fed whole or a byte at a time, and what breaks it. */
class ChunkedBodyTest {

    @Test
    void findsTheEndOfABodyWithExtensionsAndTrailers() {
        String body = "4;name=\"v\"\r\nwxyz\r\nA\r\n0123456789\r\n0\r\nX-Sum: 1\r\nX-Other: 2\r\n\r\n";
        ChunkedBody c = new ChunkedBody();
        assertThat(c.scan(buf(body + "GET / HTTP/1.1\r\n"))).isEqualTo(body.length());
        assertThat(c.done()).isTrue();
        c.reset();
        int used = 0;
        for (char ch : (body + "NEXT").toCharArray()) {
            if (!c.done()) {
                used += c.scan(buf(String.valueOf(ch)));
            }
        }
        assertThat(used).isEqualTo(body.length());
        assertThat(c.done()).isTrue();
    }

    @Test
    void anEmptyBodyIsTheLastChunkAndAnEmptyLine() {
        ChunkedBody c = new ChunkedBody();
        assertThat(c.scan(buf("0\r\n\r\n"))).isEqualTo(5);
        assertThat(c.done()).isTrue();
    }

    @Test
    void whatBreaksTheGrammarIsBad() {
        for (String broken : new String[] {"x\r\n", "4\r\nwxyzXY", "4\nwxyz\r\n", "0\r\nX: 1\n\r\n",
                "1234567890abcdef0\r\n", ";ext\r\n"}) {
            ChunkedBody c = new ChunkedBody();
            c.scan(buf(broken));
            assertThat(c.bad()).as(broken).isTrue();
        }
    }

    private static ByteBuf buf(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII));
    }
}
