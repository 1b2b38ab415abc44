package dev.ward.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the ELF header fields the bundle checks: that a file is a 64-bit little-endian ELF object, and its machine. */
final class Elf {
    private static final int HEADER = 20;

    private Elf() {
    }

    /** True when {@code f} starts with the ELF magic. */
    static boolean is(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] h = in.readNBytes(4);
            return h.length == 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F';
        }
    }

    /** {@code f}'s e_machine (62 x86_64, 183 aarch64); {@code what} names the file in the error when it is no ELF object. */
    static int machine(Path f, String what) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return machine(in.readNBytes(HEADER), what);
        }
    }

    /** The e_machine of an ELF header's first 20 bytes. */
    static int machine(byte[] header, String what) {
        if (header.length < HEADER || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
            throw new IllegalArgumentException(what + " is not an ELF file");
        }
        if (header[4] != 2 || header[5] != 1) {
            throw new IllegalArgumentException(what + " is not a 64-bit little-endian ELF file (class " + header[4]
                    + ", data " + header[5] + ")");
        }
        return (header[18] & 0xff) | (header[19] & 0xff) << 8;
    }

    /** The architecture's name for an e_machine: x86_64, aarch64, or "e_machine N". */
    static String describe(int machine) {
        Arch a = Arch.ofElfMachine(machine);
        return a != null ? a.unameName() : "e_machine " + machine;
    }
}
