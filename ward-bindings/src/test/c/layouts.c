/* Prints the kernel/glibc struct sizes and offsets that dev.ward.bindings hard-codes. */
#include <stddef.h>
#include <stdio.h>
#include <sys/user.h>
#include <sys/stat.h>
#include <sys/signalfd.h>
#include <signal.h>
#include <spawn.h>
#include <linux/seccomp.h>
#include <linux/filter.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <poll.h>

int main(void) {
    printf("regs.size=%zu\n", sizeof(struct user_regs_struct));
#if defined(__x86_64__)
    printf("regs.nr=%zu\n", offsetof(struct user_regs_struct, orig_rax));
    printf("regs.ret=%zu\n", offsetof(struct user_regs_struct, rax));
    printf("regs.arg0=%zu\n", offsetof(struct user_regs_struct, rdi));
    printf("regs.arg1=%zu\n", offsetof(struct user_regs_struct, rsi));
    printf("regs.arg2=%zu\n", offsetof(struct user_regs_struct, rdx));
    printf("regs.arg3=%zu\n", offsetof(struct user_regs_struct, r10));
    printf("regs.arg4=%zu\n", offsetof(struct user_regs_struct, r8));
    printf("regs.arg5=%zu\n", offsetof(struct user_regs_struct, r9));
    printf("regs.pc=%zu\n", offsetof(struct user_regs_struct, rip));
    printf("regs.sp=%zu\n", offsetof(struct user_regs_struct, rsp));
#elif defined(__aarch64__)
    /* glibc's user_regs_struct is the kernel's user_pt_regs: x0..x30, sp, pc, pstate */
    printf("regs.nr=%zu\n", offsetof(struct user_regs_struct, regs[8]));
    printf("regs.ret=%zu\n", offsetof(struct user_regs_struct, regs[0]));
    for (int i = 0; i < 6; i++) {
        printf("regs.arg%d=%zu\n", i, offsetof(struct user_regs_struct, regs) + i * sizeof(unsigned long long));
    }
    printf("regs.pc=%zu\n", offsetof(struct user_regs_struct, pc));
    printf("regs.sp=%zu\n", offsetof(struct user_regs_struct, sp));
#else
#error "an architecture Ward does not know: see docs/agent.md, Architectures"
#endif
    printf("o.directory=%d\no.nofollow=%d\n", O_DIRECTORY, O_NOFOLLOW);
    printf("stat.size=%zu\n", sizeof(struct stat));
    printf("stat.st_mode=%zu\n", offsetof(struct stat, st_mode));
    printf("stat.st_uid=%zu\n", offsetof(struct stat, st_uid));
    printf("sigset.size=%zu\n", sizeof(sigset_t));
    printf("signalfd_siginfo.size=%zu\n", sizeof(struct signalfd_siginfo));
    printf("signalfd_siginfo.ssi_code=%zu\n", offsetof(struct signalfd_siginfo, ssi_code));
    printf("signalfd_siginfo.ssi_pid=%zu\n", offsetof(struct signalfd_siginfo, ssi_pid));
    printf("siginfo.size=%zu\n", sizeof(siginfo_t));
    printf("spawn_file_actions.size=%zu\n", sizeof(posix_spawn_file_actions_t));
    printf("spawnattr.size=%zu\n", sizeof(posix_spawnattr_t));
    printf("seccomp_notif.size=%zu\n", sizeof(struct seccomp_notif));
    printf("seccomp_notif.pid=%zu\n", offsetof(struct seccomp_notif, pid));
    printf("seccomp_notif.data=%zu\n", offsetof(struct seccomp_notif, data));
    printf("seccomp_notif_resp.size=%zu\n", sizeof(struct seccomp_notif_resp));
    printf("seccomp_notif_resp.error=%zu\n", offsetof(struct seccomp_notif_resp, error));
    printf("seccomp_notif_resp.flags=%zu\n", offsetof(struct seccomp_notif_resp, flags));
    printf("seccomp_data.args=%zu\n", offsetof(struct seccomp_data, args));
    printf("ioctl.recv=%lu\n", (unsigned long) SECCOMP_IOCTL_NOTIF_RECV);
    printf("ioctl.send=%lu\n", (unsigned long) SECCOMP_IOCTL_NOTIF_SEND);
    printf("sock_fprog.size=%zu\n", sizeof(struct sock_fprog));
    printf("sock_fprog.filter=%zu\n", offsetof(struct sock_fprog, filter));
    printf("sys.read=%d\nsys.close=%d\nsys.ppoll=%d\nsys.rt_sigprocmask=%d\nsys.ioctl=%d\nsys.getpid=%d\n",
           SYS_read, SYS_close, SYS_ppoll, SYS_rt_sigprocmask, SYS_ioctl, SYS_getpid);
    printf("sys.execve=%d\nsys.wait4=%d\nsys.kill=%d\nsys.ptrace=%d\nsys.getuid=%d\nsys.prctl=%d\n",
           SYS_execve, SYS_wait4, SYS_kill, SYS_ptrace, SYS_getuid, SYS_prctl);
    printf("sys.gettid=%d\nsys.openat=%d\nsys.newfstatat=%d\nsys.readlinkat=%d\nsys.signalfd4=%d\n",
           SYS_gettid, SYS_openat, SYS_newfstatat, SYS_readlinkat, SYS_signalfd4);
    printf("sys.process_vm_readv=%d\nsys.seccomp=%d\n", SYS_process_vm_readv, SYS_seccomp);
    printf("sys.process_vm_writev=%d\nsys.tgkill=%d\nsys.pread64=%d\n", SYS_process_vm_writev, SYS_tgkill, SYS_pread64);
    printf("sys.exit_group=%d\n", SYS_exit_group);
    printf("sigaction.size=%zu\nsigaction.flags=%zu\n", sizeof(struct sigaction), offsetof(struct sigaction, sa_flags));
    printf("sigrtmin=%d\n", SIGRTMIN);
    printf("sockaddr_in.size=%zu\nsockaddr_in.port=%zu\nsockaddr_in.addr=%zu\n", sizeof(struct sockaddr_in),
           offsetof(struct sockaddr_in, sin_port), offsetof(struct sockaddr_in, sin_addr));
    printf("sockaddr_in6.size=%zu\nsockaddr_in6.port=%zu\nsockaddr_in6.addr=%zu\nsockaddr_in6.scope=%zu\n",
           sizeof(struct sockaddr_in6), offsetof(struct sockaddr_in6, sin6_port),
           offsetof(struct sockaddr_in6, sin6_addr), offsetof(struct sockaddr_in6, sin6_scope_id));
    printf("af.inet=%d\naf.inet6=%d\nsock.stream=%d\nsol.socket=%d\nso.type=%d\nso.domain=%d\nso.error=%d\n",
           AF_INET, AF_INET6, SOCK_STREAM, SOL_SOCKET, SO_TYPE, SO_DOMAIN, SO_ERROR);
    printf("ipproto.ipv6=%d\nipv6.v6only=%d\nf.getfl=%d\nf.setfl=%d\no.nonblock=%d\n", IPPROTO_IPV6, IPV6_V6ONLY,
           F_GETFL, F_SETFL, O_NONBLOCK);
    printf("pollout=%d\npollerr=%d\npollhup=%d\nstat.st_ino=%zu\n", POLLOUT, POLLERR, POLLHUP,
           offsetof(struct stat, st_ino));
    printf("sys.fstat=%d\nsys.connect=%d\nsys.bind=%d\nsys.getsockname=%d\nsys.getsockopt=%d\nsys.fcntl=%d\n",
           SYS_fstat, SYS_connect, SYS_bind, SYS_getsockname, SYS_getsockopt, SYS_fcntl);
    printf("sys.pidfd_open=%d\nsys.pidfd_getfd=%d\n", SYS_pidfd_open, SYS_pidfd_getfd);
    return 0;
}
