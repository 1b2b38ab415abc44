package dev.ward.relay.client;

import java.io.ByteArrayOutputStream;

/** The few DER encodings a PKCS#10 request needs around the JDK's ready-made key and signature encodings. */
final class Der {
    /** INTEGER 0: the request's version. */
    static final byte[] INTEGER_ZERO = {0x02, 0x01, 0x00};
    /** [0] IMPLICIT SET OF Attribute, empty. */
    static final byte[] EMPTY_ATTRIBUTES = {(byte) 0xa0, 0x00};
    /** OID 1.2.840.10045.4.3.2, ecdsa-with-SHA256 (RFC 5758), whose AlgorithmIdentifier has no parameters. */
    static final byte[] ECDSA_WITH_SHA256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};

    private Der() {
    }

    /** SEQUENCE of already encoded elements. */
    static byte[] sequence(byte[]... elements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] e : elements) {
            body.writeBytes(e);
        }
        return tagged(0x30, body.toByteArray());
    }

    /** BIT STRING with no unused bits. */
    static byte[] bitString(byte[] bits) {
        byte[] body = new byte[bits.length + 1];
        System.arraycopy(bits, 0, body, 1, bits.length);
        return tagged(0x03, body);
    }

    private static byte[] tagged(int tag, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 6);
        out.write(tag);
        int n = body.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(body);
        return out.toByteArray();
    }
}
