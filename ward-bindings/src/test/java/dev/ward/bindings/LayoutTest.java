package dev.ward.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.testing.CPrograms;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The struct sizes, offsets and ioctl numbers hard-coded in the bindings, checked against the C headers. */
@Tag("process")
class LayoutTest {
    private static final Map<String, Long> C = new HashMap<>();

    @BeforeAll
    static void probe() {
        for (String line : CPrograms.output(CPrograms.get("layouts")).split("\n")) {
            String[] kv = line.split("=");
            C.put(kv[0], Long.parseUnsignedLong(kv[1].strip()));
        }
    }

    @Test
    void registers() {
        Arch a = Arch.CURRENT;
        assertThat(C).containsEntry("regs.size", a.regsSize()).containsEntry("regs.nr", a.nrOffset())
                .containsEntry("regs.ret", a.returnOffset()).containsEntry("regs.pc", a.pcOffset())
                .containsEntry("regs.sp", a.spOffset());
        for (int i = 0; i < 6; i++) {
            assertThat(C).containsEntry("regs.arg" + i, a.argOffsets()[i]);
        }
        assertThat(Regs.SIZE).isEqualTo(a.regsSize());
    }

    @Test
    void flagsAndStatOfThisArchitecture() {
        Arch.Stat stat = Arch.CURRENT.stat();
        assertThat(C).containsEntry("o.directory", (long) Arch.CURRENT.oDirectory())
                .containsEntry("o.nofollow", (long) Arch.CURRENT.oNofollow()).containsEntry("stat.size", stat.size())
                .containsEntry("stat.st_ino", stat.ino()).containsEntry("stat.st_mode", stat.mode())
                .containsEntry("stat.st_uid", stat.uid());
        assertThat((long) Posix.O_DIRECTORY).isEqualTo(C.get("o.directory"));
    }

    @Test
    void statAndSignals() {
        assertThat(C).containsEntry("stat.size", ProcFs.STAT_SIZE).containsEntry("stat.st_mode", ProcFs.STAT_MODE)
                .containsEntry("stat.st_uid", ProcFs.STAT_UID).containsEntry("sigset.size", Signals.SIGSET_SIZE)
                .containsEntry("signalfd_siginfo.size", Signals.SIGNALFD_SIGINFO_SIZE)
                .containsEntry("signalfd_siginfo.ssi_code", 8L).containsEntry("signalfd_siginfo.ssi_pid", 12L)
                .containsEntry("siginfo.size", Ptrace.SIGINFO_SIZE);
        assertThat(C.get("spawn_file_actions.size")).isLessThanOrEqualTo(1024L);
        assertThat(C.get("spawnattr.size")).isLessThanOrEqualTo(1024L);
    }

    @Test
    void syscallNumbers() {
        assertThat(C).containsEntry("sys.read", Libc.SYS_READ).containsEntry("sys.close", Libc.SYS_CLOSE)
                .containsEntry("sys.ppoll", Libc.SYS_PPOLL).containsEntry("sys.rt_sigprocmask", Libc.SYS_RT_SIGPROCMASK)
                .containsEntry("sys.ioctl", Libc.SYS_IOCTL).containsEntry("sys.getpid", Libc.SYS_GETPID)
                .containsEntry("sys.execve", Libc.SYS_EXECVE).containsEntry("sys.wait4", Libc.SYS_WAIT4)
                .containsEntry("sys.kill", Libc.SYS_KILL).containsEntry("sys.ptrace", Libc.SYS_PTRACE)
                .containsEntry("sys.getuid", Libc.SYS_GETUID).containsEntry("sys.prctl", Libc.SYS_PRCTL)
                .containsEntry("sys.gettid", Libc.SYS_GETTID).containsEntry("sys.openat", Libc.SYS_OPENAT)
                .containsEntry("sys.newfstatat", Libc.SYS_NEWFSTATAT)
                .containsEntry("sys.readlinkat", Libc.SYS_READLINKAT)
                .containsEntry("sys.signalfd4", Libc.SYS_SIGNALFD4)
                .containsEntry("sys.process_vm_readv", Libc.SYS_PROCESS_VM_READV)
                .containsEntry("sys.seccomp", Libc.SYS_SECCOMP)
                .containsEntry("sys.process_vm_writev", Libc.SYS_PROCESS_VM_WRITEV)
                .containsEntry("sys.tgkill", Libc.SYS_TGKILL).containsEntry("sys.pread64", Libc.SYS_PREAD64)
                .containsEntry("sys.exit_group", Libc.SYS_EXIT_GROUP);
    }

    @Test
    void wakeupSignal() {
        assertThat(C).containsEntry("sigaction.size", Wakeup.SIGACTION_SIZE)
                .containsEntry("sigaction.flags", Wakeup.SA_FLAGS);
        assertThat(Wakeup.SIGNAL).isGreaterThanOrEqualTo(C.get("sigrtmin").intValue());
    }

    @Test
    void seccompNotification() {
        assertThat(C).containsEntry("seccomp_notif.size", Seccomp.NOTIF_SIZE).containsEntry("seccomp_notif.pid", 8L)
                .containsEntry("seccomp_notif.data", 16L)
                .containsEntry("seccomp_notif_resp.size", Seccomp.NOTIF_RESP_SIZE)
                .containsEntry("seccomp_notif_resp.error", 16L).containsEntry("seccomp_notif_resp.flags", 20L)
                .containsEntry("seccomp_data.args", 16L)
                .containsEntry("ioctl.recv", Seccomp.NOTIF_IOCTL_RECV)
                .containsEntry("ioctl.send", Seccomp.NOTIF_IOCTL_SEND)
                .containsEntry("sock_fprog.size", 16L).containsEntry("sock_fprog.filter", 8L);
    }

    @Test
    void socketsAndAddresses() {
        assertThat(C).containsEntry("sockaddr_in.size", (long) Sockaddr.IN_SIZE)
                .containsEntry("sockaddr_in.port", (long) Sockaddr.PORT)
                .containsEntry("sockaddr_in.addr", (long) Sockaddr.IN_ADDR)
                .containsEntry("sockaddr_in6.size", (long) Sockaddr.IN6_SIZE)
                .containsEntry("sockaddr_in6.port", (long) Sockaddr.PORT)
                .containsEntry("sockaddr_in6.addr", (long) Sockaddr.IN6_ADDR)
                .containsEntry("sockaddr_in6.scope", (long) Sockaddr.IN6_SCOPE)
                .containsEntry("af.inet", (long) Sockaddr.AF_INET).containsEntry("af.inet6", (long) Sockaddr.AF_INET6)
                .containsEntry("sock.stream", (long) Sockets.SOCK_STREAM)
                .containsEntry("sol.socket", (long) Sockets.SOL_SOCKET).containsEntry("so.type", (long) Sockets.SO_TYPE)
                .containsEntry("so.domain", (long) Sockets.SO_DOMAIN).containsEntry("so.error", (long) Sockets.SO_ERROR)
                .containsEntry("ipproto.ipv6", (long) Sockets.IPPROTO_IPV6)
                .containsEntry("ipv6.v6only", (long) Sockets.IPV6_V6ONLY)
                .containsEntry("f.getfl", (long) Sockets.F_GETFL).containsEntry("f.setfl", (long) Sockets.F_SETFL)
                .containsEntry("o.nonblock", (long) Sockets.O_NONBLOCK).containsEntry("pollout", (long) Sockets.POLLOUT)
                .containsEntry("pollerr", (long) Sockets.POLLERR).containsEntry("pollhup", (long) Sockets.POLLHUP)
                .containsEntry("stat.st_ino", Sockets.STAT_INO)
                .containsEntry("sys.fstat", Libc.SYS_FSTAT).containsEntry("sys.connect", Libc.SYS_CONNECT)
                .containsEntry("sys.bind", Libc.SYS_BIND).containsEntry("sys.getsockname", Libc.SYS_GETSOCKNAME)
                .containsEntry("sys.getsockopt", Libc.SYS_GETSOCKOPT).containsEntry("sys.fcntl", Libc.SYS_FCNTL)
                .containsEntry("sys.pidfd_open", Libc.SYS_PIDFD_OPEN)
                .containsEntry("sys.pidfd_getfd", Libc.SYS_PIDFD_GETFD);
    }
}
