package dev.ward.mesh;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A SOCKS5 client written from RFC 1928, so that tests see the reply codes themselves. */
final class Socks5 {

    static final int IPV4 = 1;
    static final int DOMAIN = 3;
    static final int IPV6 = 4;

    private Socks5() {
    }

    /** Connected socket after a 0x00 reply; else an IOException carrying "reply 0xNN". */
    static Socket connect(InetSocketAddress proxy, InetSocketAddress destination) throws IOException {
        byte[] ip = destination.getAddress().getAddress();
        return connect(proxy, 1, ip.length == 4 ? IPV4 : IPV6, ip, destination.getPort());
    }

    static Socket connect(InetSocketAddress proxy, String host, int port) throws IOException {
        return connect(proxy, 1, DOMAIN, host.getBytes(StandardCharsets.US_ASCII), port);
    }

    static Socket connect(InetSocketAddress proxy, int command, int atyp, byte[] address, int port)
            throws IOException {
        Socket s = new Socket();
        s.connect(proxy, 5000);
        s.setSoTimeout(20_000);
        int reply = request(s, command, atyp, address, port);
        if (reply != 0) {
            s.close();
            throw new IOException(String.format("reply 0x%02x", reply));
        }
        return s;
    }

    /** The reply code (or -1 when the proxy closed without one). */
    static int request(Socket s, int command, int atyp, byte[] address, int port) throws IOException {
        OutputStream out = s.getOutputStream();
        DataInputStream in = new DataInputStream(s.getInputStream());
        out.write(new byte[] {5, 1, 0});
        out.flush();
        if (in.readUnsignedByte() != 5 || in.readUnsignedByte() != 0) {
            throw new IOException("no-auth refused");
        }
        byte[] req = new byte[4 + (atyp == DOMAIN ? 1 : 0) + address.length + 2];
        req[0] = 5;
        req[1] = (byte) command;
        req[3] = (byte) atyp;
        int i = 4;
        if (atyp == DOMAIN) {
            req[i++] = (byte) address.length;
        }
        System.arraycopy(address, 0, req, i, address.length);
        i += address.length;
        req[i] = (byte) (port >> 8);
        req[i + 1] = (byte) port;
        out.write(req);
        out.flush();
        int version = in.read();
        if (version < 0) {
            return -1;
        }
        int reply = in.readUnsignedByte();
        in.readUnsignedByte();
        int bndType = in.readUnsignedByte();
        in.readFully(new byte[(bndType == IPV4 ? 4 : bndType == IPV6 ? 16 : in.readUnsignedByte()) + 2]);
        return reply;
    }
}
