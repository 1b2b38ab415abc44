package dev.ward.mesh.hbone;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The request heads the gate decides, and the ones it refuses or calls "not HTTP" (RFC 9112, strictly). */
class Http1ParserTest {
    private final Http1Parser p = new Http1Parser();

    @Test
    void readsAHeadAndItsFramingWithoutConsumingAnything() {
        ByteBuf in = buf("\r\nPOST /orders?id=1 HTTP/1.1\r\nHost:  svc:8080 \r\nX-A:\tb\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(p.parse(in)).isEqualTo(Http1Parser.Result.HEAD);
        assertThat(in.readerIndex()).isZero();
        assertThat(p.headLength).isEqualTo(in.readableBytes() - 5);
        assertThat(p.method()).hasToString("POST");
        assertThat(p.path()).hasToString("/orders?id=1");
        assertThat(p.authority()).hasToString("svc:8080");
        assertThat(p.version()).hasToString("HTTP/1.1");
        assertThat(p.headerCount()).isEqualTo(3);
        assertThat(p.headerName(1)).hasToString("X-A");
        assertThat(p.headerValue(1)).hasToString("b");
        assertThat(p.contentLength).isEqualTo(5);
        assertThat(p.chunked).isFalse();
    }

    @Test
    void waitsForTheRestOfAHead() {
        assertThat(p.parse(buf("GE"))).isEqualTo(Http1Parser.Result.MORE);
        assertThat(p.parse(buf("GET /x HTTP/1."))).isEqualTo(Http1Parser.Result.MORE);
        assertThat(p.parse(buf("GET /x HTTP/1.1\r\nHost: a\r\n\r"))).isEqualTo(Http1Parser.Result.MORE);
        assertThat(p.parse(buf("PRI * HTTP/2.0\r\n"))).isEqualTo(Http1Parser.Result.MORE);
    }

    @Test
    void tellsWhatIsNotHttp1() {
        assertThat(p.parse(buf("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))).isEqualTo(Http1Parser.Result.H2C);
        assertThat(p.parse(buf("\u0016\u0003\u0001"))).isEqualTo(Http1Parser.Result.NOT_HTTP);
        assertThat(p.parse(buf("GET /x HTTP/2.0\r\n"))).isEqualTo(Http1Parser.Result.NOT_HTTP);
        assertThat(p.parse(buf("GET  /x HTTP/1.1\r\n"))).isEqualTo(Http1Parser.Result.NOT_HTTP);
        assertThat(p.parse(buf("GET /x HTTP/1.1\n"))).isEqualTo(Http1Parser.Result.NOT_HTTP);
        assertThat(p.parse(buf("A".repeat(40) + " / HTTP/1.1\r\n"))).isEqualTo(Http1Parser.Result.NOT_HTTP);
    }

    @Test
    void refusesHeadsTheApplicationMightFrameDifferently() {
        assertBad("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                "both Transfer-Encoding and Content-Length");
        assertBad("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\n", "invalid or conflicting Content-Length");
        assertBad("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", "invalid or conflicting Content-Length");
        assertBad("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                "Transfer-Encoding does not end in chunked");
        assertBad("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding in HTTP/1.0");
        assertBad("GET / HTTP/1.1\r\n\r\n", "no Host header");
        assertBad("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "more than one Host header");
        assertBad("GET / HTTP/1.1\r\nHost: a\r\n x\r\n\r\n", "obsolete line folding");
        assertBad("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", "malformed header name");
        assertBad("GET / HTTP/1.1\r\nHost: a\r\nX: a\u0001b\r\n\r\n", "control character in a header value");
        assertBad("GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", "a header line ends without CR");
    }

    @Test
    void acceptsRepeatedEqualLengthsAndChunkedLast() {
        assertThat(p.parse(buf("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\n")))
                .isEqualTo(Http1Parser.Result.HEAD);
        assertThat(p.contentLength).isEqualTo(3);
        assertThat(p.parse(buf("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: Chunked\r\n\r\n")))
                .isEqualTo(Http1Parser.Result.HEAD);
        assertThat(p.chunked).isTrue();
        assertThat(p.parse(buf("GET / HTTP/1.0\r\n\r\n"))).isEqualTo(Http1Parser.Result.HEAD);
        assertThat(p.authority()).isNull();
        assertThat(p.chunked).isFalse();
    }

    @Test
    void absoluteFormAndConnectNameTheirAuthority() {
        assertThat(p.parse(buf("GET http://api.example:80?q=1 HTTP/1.1\r\nHost: other\r\n\r\n")))
                .isEqualTo(Http1Parser.Result.HEAD);
        assertThat(p.authority()).hasToString("api.example:80");
        assertThat(p.path()).hasToString("/?q=1");
        assertThat(p.parse(buf("CONNECT db:5432 HTTP/1.1\r\nHost: db:5432\r\n\r\n"))).isEqualTo(Http1Parser.Result.HEAD);
        assertThat(p.path()).isNull();
        assertThat(p.authority()).hasToString("db:5432");
        assertThat(p.tunnel).isTrue();
    }

    @Test
    void limitsTheHead() {
        assertThat(p.parse(buf("GET /" + "a".repeat(Http1Parser.MAX_HEAD) + " HTTP/1.1\r\n")))
                .isEqualTo(Http1Parser.Result.TOO_LARGE);
        assertThat(p.problem).isEqualTo("request line longer than " + Http1Parser.MAX_HEAD + " bytes");
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < Http1Parser.MAX_HEADERS; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        assertThat(p.parse(buf(many + "\r\n"))).isEqualTo(Http1Parser.Result.TOO_LARGE);
        assertThat(p.problem).isEqualTo("more than 100 header fields");
    }

    private void assertBad(String head, String problem) {
        assertThat(p.parse(buf(head))).as(head).isEqualTo(Http1Parser.Result.BAD);
        assertThat(p.problem).isEqualTo(problem);
    }

    private static ByteBuf buf(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
