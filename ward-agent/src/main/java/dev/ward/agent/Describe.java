package dev.ward.agent;

import dev.ward.bindings.Arch;
import dev.ward.capture.SyscallEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Text for the Data and Resource fields, in the shapes KubeArmor uses. Cold path: allocates. */
final class Describe {
    private Describe() {
    }

    static String openFlags(long flags) {
        StringBuilder b = new StringBuilder();
        int acc = (int) (flags & 3);
        b.append(acc == 0 ? "O_RDONLY" : acc == 1 ? "O_WRONLY" : "O_RDWR");
        flag(b, flags, 0100, "O_CREAT");
        flag(b, flags, 0200, "O_EXCL");
        flag(b, flags, 01000, "O_TRUNC");
        flag(b, flags, 02000, "O_APPEND");
        flag(b, flags, 04000, "O_NONBLOCK");
        flag(b, flags, Arch.CURRENT.oDirectory(), "O_DIRECTORY"); // these two differ between architectures
        flag(b, flags, Arch.CURRENT.oNofollow(), "O_NOFOLLOW");
        flag(b, flags, 02000000, "O_CLOEXEC");
        flag(b, flags, 010000000, "O_PATH");
        return b.toString();
    }

    private static void flag(StringBuilder b, long flags, long bit, String name) {
        if ((flags & bit) != 0) {
            b.append('|').append(name);
        }
    }

    static String family(int family) {
        return switch (family) {
            case 1 -> "AF_UNIX";
            case 2 -> "AF_INET";
            case 10 -> "AF_INET6";
            case 16 -> "AF_NETLINK";
            case 17 -> "AF_PACKET";
            default -> Integer.toString(family);
        };
    }

    static String socketType(int type) {
        return switch (type & 0xf) {
            case 1 -> "SOCK_STREAM";
            case 2 -> "SOCK_DGRAM";
            case 3 -> "SOCK_RAW";
            case 5 -> "SOCK_SEQPACKET";
            default -> Integer.toString(type & 0xf);
        };
    }

    /** "remoteip=ADDR port=PORT" for an AF_INET/AF_INET6 sockaddr, "path=..." for AF_UNIX. */
    static String sockaddr(SyscallEvent e) {
        int len = e.sockaddrLength();
        if (len < 2) {
            return "";
        }
        ByteBuffer b = ByteBuffer.wrap(e.sockaddr(), 0, len).order(ByteOrder.LITTLE_ENDIAN);
        int family = b.getShort(0) & 0xffff;
        if (family == 2 && len >= 8) {
            int port = ((e.sockaddr()[2] & 0xff) << 8) | (e.sockaddr()[3] & 0xff);
            return "remoteip=" + (e.sockaddr()[4] & 0xff) + "." + (e.sockaddr()[5] & 0xff) + "."
                    + (e.sockaddr()[6] & 0xff) + "." + (e.sockaddr()[7] & 0xff) + " port=" + port;
        }
        if (family == 10 && len >= 24) {
            int port = ((e.sockaddr()[2] & 0xff) << 8) | (e.sockaddr()[3] & 0xff);
            StringBuilder ip = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                if (i > 0) {
                    ip.append(':');
                }
                ip.append(Integer.toHexString(((e.sockaddr()[8 + 2 * i] & 0xff) << 8) | (e.sockaddr()[9 + 2 * i] & 0xff)));
            }
            return "remoteip=" + ip + " port=" + port;
        }
        if (family == 1) {
            int end = 2;
            while (end < len && e.sockaddr()[end] != 0) {
                end++;
            }
            return "path=" + new String(e.sockaddr(), 2, end - 2, java.nio.charset.StandardCharsets.UTF_8);
        }
        return "family=" + family(family);
    }
}
