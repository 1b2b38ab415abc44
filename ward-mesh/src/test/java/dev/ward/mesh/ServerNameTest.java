package dev.ward.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.mesh.net.ServerName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** The server's name in a real TLS ClientHello (the JDK's) and in HTTP/1 request heads, whole or in part. */
class ServerNameTest {

    static byte[] clientHello(String sni) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();
        engine.setUseClientMode(true);
        if (sni != null) {
            SSLParameters p = engine.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            engine.setSSLParameters(p);
        }
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static String of(byte[] bytes, int length) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes, 0, length);
        return ServerName.of(b);
    }

    private static String of(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return of(b, b.length);
    }

    @Test
    void theSniOfATlsClientHello() throws Exception {
        byte[] hello = clientHello("api.stripe.com");
        assertThat(of(hello, hello.length)).isEqualTo("api.stripe.com");
        assertThat(of(hello, 3)).isSameAs(ServerName.MORE);
        assertThat(of(hello, hello.length - 1)).isSameAs(ServerName.MORE);
        byte[] anonymous = clientHello(null);
        assertThat(of(anonymous, anonymous.length)).isNull();
    }

    @Test
    void theHostOfAnHttpRequestWithoutItsPort() {
        assertThat(of("GET /x HTTP/1.1\r\nUser-Agent: t\r\nHOST: Api.Example.com:8080\r\n\r\n"))
                .isEqualTo("Api.Example.com");
        assertThat(of("POST / HTTP/1.0\r\nHost: [2001:db8::1]:443\r\n\r\nbody")).isEqualTo("2001:db8::1");
        assertThat(of("GET / HTTP/1.1\r\nHost: plain.example\r\n\r\n")).isEqualTo("plain.example");
        assertThat(of("GET / HTTP/1.1\r\nHost: pla")).isSameAs(ServerName.MORE);
        assertThat(of("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n")).isNull();
        assertThat(of("EHLO mail.example\r\n\r\n")).isNull();
    }

    @Test
    void otherProtocolsHaveNoName() {
        assertThat(of(new byte[] {0, 0, 0, 8, 4, (byte) 210, 22, 47}, 8)).isNull();
        assertThat(of(new byte[0], 0)).isSameAs(ServerName.MORE);
        assertThat(of(new byte[] {0x16, 3, 1, (byte) 0xff, (byte) 0xff}, 5)).as("a record over 16 KiB").isNull();
    }
}
