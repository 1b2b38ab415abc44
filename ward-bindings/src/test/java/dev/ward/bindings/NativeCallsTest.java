package dev.ward.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The façades against the real kernel: errno capture, /proc links, stat, process memory. */
class NativeCallsTest {
    @Test
    void errnoIsCapturedWithAName() {
        assertThatThrownBy(() -> Posix.open("/nonexistent/ward", Posix.O_RDONLY))
                .isInstanceOf(NativeException.class)
                .hasMessage("open(/nonexistent/ward): ENOENT (No such file or directory)");
    }

    @Test
    void procLinksOfThisProcess(@TempDir Path dir) throws Exception {
        ProcFs proc = new ProcFs();
        byte[] out = new byte[ProcFs.PATH_MAX];
        int n = proc.exe(Posix.getpid(), out);
        assertThat(new String(out, 0, n, StandardCharsets.UTF_8)).endsWith("/bin/java");
        n = proc.cwd(Posix.getpid(), out);
        assertThat(new String(out, 0, n, StandardCharsets.UTF_8)).isEqualTo(Path.of("").toAbsolutePath().toString());
        int fd = Posix.open(dir.toString(), Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_CLOEXEC);
        try {
            n = proc.fdPath(Posix.getpid(), fd, out);
            assertThat(new String(out, 0, n, StandardCharsets.UTF_8)).isEqualTo(dir.toRealPath().toString());
        } finally {
            Posix.close(fd);
        }
        assertThat(proc.exe(999_999_999, out)).isEqualTo(-Errno.ENOENT);
    }

    @Test
    void pagemapIsIndexedByTheKernelsPageSize() throws Exception {
        // /proc/self/smaps gives the kernel's page size of each mapping; the first is the java binary's, never huge
        String smaps = Files.readString(Path.of("/proc/self/smaps"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("KernelPageSize:\\s+(\\d+) kB").matcher(smaps);
        assertThat(m.find()).as("KernelPageSize in /proc/self/smaps").isTrue();
        assertThat(1L << TraceeMemory.PAGE_SHIFT).isEqualTo(Long.parseLong(m.group(1)) * 1024);
    }

    @Test
    void realUidFromProcStatus() {
        ProcFs proc = new ProcFs();
        assertThat(proc.uid(Posix.getpid())).isEqualTo(Posix.getuid());
        assertThat(proc.uid(1)).isEqualTo(0); // init
        assertThat(proc.uid(Integer.MAX_VALUE)).isEqualTo(-1); // no such process
    }

    @Test
    void ownerAndMode(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        byte[] path = f.toString().getBytes(StandardCharsets.UTF_8);
        ProcFs proc = new ProcFs();
        assertThat(proc.ownerUid(path, path.length)).isEqualTo(Posix.getuid());
        assertThat(proc.mode(path, path.length) & 0170000).isEqualTo(0100000); // S_IFREG
        byte[] missing = "/nonexistent".getBytes(StandardCharsets.UTF_8);
        assertThat(proc.ownerUid(missing, missing.length)).isEqualTo(-Errno.ENOENT);
    }

    @Test
    void readsStringsFromProcessMemoryAcrossPages() {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            // A string that starts 3 bytes before a page boundary and ends on the next page.
            var seg = arena.allocate(3 * 4096, 4096);
            long start = 4096 - 3;
            byte[] text = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < text.length; i++) {
                seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, start + i, text[i]);
            }
            seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, start + text.length, (byte) 0);
            byte[] out = new byte[ProcFs.PATH_MAX];
            int n = new ProcFs().readString(Posix.getpid(), seg.address() + start, out);
            assertThat(new String(out, 0, n, StandardCharsets.US_ASCII)).isEqualTo("abcdefgh");
            assertThat(new ProcFs().readString(Posix.getpid(), 0, out)).isEqualTo(-Errno.EFAULT);
        }
    }

    @Test
    void realpathFollowsSymlinks(@TempDir Path dir) throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        byte[] in = link.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[ProcFs.PATH_MAX];
        int n = new ProcFs().realpath(in, in.length, out);
        assertThat(new String(out, 0, n, StandardCharsets.UTF_8)).isEqualTo(target.toRealPath().toString());
        byte[] missing = dir.resolve("missing").toString().getBytes(StandardCharsets.UTF_8);
        assertThat(new ProcFs().realpath(missing, missing.length, out)).isEqualTo(-Errno.ENOENT);
    }

    @Test
    void signalMasksAndSets() {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var set = arena.allocate(Signals.SIGSET_SIZE, 8);
            Signals.addSignal(set, Signals.SIGTERM);
            Signals.addSignal(set, 64);
            assertThat(Signals.isMember(set, Signals.SIGTERM)).isTrue();
            assertThat(Signals.isMember(set, 64)).isTrue();
            assertThat(Signals.isMember(set, Signals.SIGINT)).isFalse();
            assertThat(set.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0)).isEqualTo((1L << 14) | (1L << 63));
        }
        assertThat(Posix.isatty(-1)).isFalse();
        assertThat(Posix.getpid()).isEqualTo((int) ProcessHandle.current().pid());
    }

    @Test
    void seccompFeaturesAreProbed() {
        assertThat(Seccomp.actionAvailable(Seccomp.RET_USER_NOTIF)).isTrue();
        assertThat(Seccomp.actionAvailable(Seccomp.RET_TRACE)).isTrue();
        assertThat(Seccomp.actionAvailable(0x12345678)).isFalse();
    }
}
