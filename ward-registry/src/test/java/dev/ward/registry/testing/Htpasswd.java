package dev.ward.registry.testing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the bcrypt htpasswd file the distribution registry's {@code auth: htpasswd} wants (it accepts
 * only bcrypt entries). The hash comes from the system's libcrypt ({@code libcrypt.so.1}, libxcrypt,
 * Debian package libcrypt1, always installed) through FFM, so the fixture needs neither apache2-utils
 * nor a bcrypt library on the class path of the modules that use the test-jar.
 */
public final class Htpasswd {
    /** bcrypt cost: cheap, for tests (libxcrypt and Go's bcrypt both accept 4 and up). */
    private static final long COST = 5;

    private Htpasswd() {
    }

    /** Writes {@code user:BCRYPT(password)} to {@code file}. */
    public static void write(Path file, String user, String password) throws IOException {
        if (user.isEmpty() || user.contains(":") || user.contains("\n")) {
            throw new IllegalArgumentException("htpasswd user '" + user + "': must be non-empty, without ':' or newline");
        }
        Files.writeString(file, user + ":" + bcrypt(password) + "\n", StandardCharsets.UTF_8);
    }

    /** {@code $2b$05$...}: a bcrypt hash with a fresh random salt. */
    public static synchronized String bcrypt(String password) {
        // crypt_gensalt and crypt return static buffers: hence synchronized, and copied out at once.
        Linker linker = Linker.nativeLinker();
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup lib = SymbolLookup.libraryLookup("libcrypt.so.1", arena);
            MethodHandle gensalt = linker.downcallHandle(lib.find("crypt_gensalt").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle crypt = linker.downcallHandle(lib.find("crypt").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            MemorySegment salt = (MemorySegment) gensalt.invokeExact(arena.allocateFrom("$2b$"), COST,
                    MemorySegment.NULL, 0);
            if (salt.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("libcrypt crypt_gensalt($2b$) failed: no bcrypt support?");
            }
            String setting = salt.reinterpret(128).getString(0);
            MemorySegment hash = (MemorySegment) crypt.invokeExact(arena.allocateFrom(password, StandardCharsets.UTF_8),
                    arena.allocateFrom(setting));
            String result = hash.equals(MemorySegment.NULL) ? "" : hash.reinterpret(128).getString(0);
            if (!result.startsWith("$2b$")) {
                throw new IllegalStateException("libcrypt crypt() did not produce a bcrypt hash: '" + result + "'");
            }
            return result;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("calling libcrypt: " + t, t);
        }
    }
}
