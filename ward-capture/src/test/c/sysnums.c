/* Prints the syscall numbers of <sys/syscall.h> for every name in dev.ward.bindings.Arch.KNOWN this architecture
 * has ("name=nr"); a name the architecture lacks (arm64: open, fork, rename ...) is not printed. */
#include <stdio.h>
#include <sys/syscall.h>
#define P(n) printf("%s=%d\n", #n, SYS_##n)
int main(void) {
#ifdef SYS_read
    P(read);
#endif
#ifdef SYS_close
    P(close);
#endif
#ifdef SYS_fstat
    P(fstat);
#endif
#ifdef SYS_ppoll
    P(ppoll);
#endif
#ifdef SYS_rt_sigprocmask
    P(rt_sigprocmask);
#endif
#ifdef SYS_ioctl
    P(ioctl);
#endif
#ifdef SYS_pread64
    P(pread64);
#endif
#ifdef SYS_getpid
    P(getpid);
#endif
#ifdef SYS_connect
    P(connect);
#endif
#ifdef SYS_bind
    P(bind);
#endif
#ifdef SYS_getsockname
    P(getsockname);
#endif
#ifdef SYS_getpeername
    P(getpeername);
#endif
#ifdef SYS_getsockopt
    P(getsockopt);
#endif
#ifdef SYS_execve
    P(execve);
#endif
#ifdef SYS_wait4
    P(wait4);
#endif
#ifdef SYS_kill
    P(kill);
#endif
#ifdef SYS_fcntl
    P(fcntl);
#endif
#ifdef SYS_ptrace
    P(ptrace);
#endif
#ifdef SYS_getuid
    P(getuid);
#endif
#ifdef SYS_capget
    P(capget);
#endif
#ifdef SYS_capset
    P(capset);
#endif
#ifdef SYS_prctl
    P(prctl);
#endif
#ifdef SYS_gettid
    P(gettid);
#endif
#ifdef SYS_openat
    P(openat);
#endif
#ifdef SYS_newfstatat
    P(newfstatat);
#endif
#ifdef SYS_readlinkat
    P(readlinkat);
#endif
#ifdef SYS_signalfd4
    P(signalfd4);
#endif
#ifdef SYS_process_vm_readv
    P(process_vm_readv);
#endif
#ifdef SYS_process_vm_writev
    P(process_vm_writev);
#endif
#ifdef SYS_seccomp
    P(seccomp);
#endif
#ifdef SYS_pidfd_open
    P(pidfd_open);
#endif
#ifdef SYS_pidfd_getfd
    P(pidfd_getfd);
#endif
#ifdef SYS_tgkill
    P(tgkill);
#endif
#ifdef SYS_execveat
    P(execveat);
#endif
#ifdef SYS_open
    P(open);
#endif
#ifdef SYS_openat2
    P(openat2);
#endif
#ifdef SYS_creat
    P(creat);
#endif
#ifdef SYS_open_by_handle_at
    P(open_by_handle_at);
#endif
#ifdef SYS_unlink
    P(unlink);
#endif
#ifdef SYS_unlinkat
    P(unlinkat);
#endif
#ifdef SYS_rename
    P(rename);
#endif
#ifdef SYS_renameat
    P(renameat);
#endif
#ifdef SYS_renameat2
    P(renameat2);
#endif
#ifdef SYS_link
    P(link);
#endif
#ifdef SYS_linkat
    P(linkat);
#endif
#ifdef SYS_symlink
    P(symlink);
#endif
#ifdef SYS_symlinkat
    P(symlinkat);
#endif
#ifdef SYS_chmod
    P(chmod);
#endif
#ifdef SYS_fchmod
    P(fchmod);
#endif
#ifdef SYS_fchmodat
    P(fchmodat);
#endif
#ifdef SYS_fchmodat2
    P(fchmodat2);
#else
    printf("fchmodat2=452\n"); /* Linux 6.6, the same number on every architecture */
#endif
#ifdef SYS_truncate
    P(truncate);
#endif
#ifdef SYS_utime
    P(utime);
#endif
#ifdef SYS_utimes
    P(utimes);
#endif
#ifdef SYS_futimesat
    P(futimesat);
#endif
#ifdef SYS_utimensat
    P(utimensat);
#endif
#ifdef SYS_setxattr
    P(setxattr);
#endif
#ifdef SYS_lsetxattr
    P(lsetxattr);
#endif
#ifdef SYS_fsetxattr
    P(fsetxattr);
#endif
#ifdef SYS_removexattr
    P(removexattr);
#endif
#ifdef SYS_lremovexattr
    P(lremovexattr);
#endif
#ifdef SYS_fremovexattr
    P(fremovexattr);
#endif
#ifdef SYS_socket
    P(socket);
#endif
#ifdef SYS_sendto
    P(sendto);
#endif
#ifdef SYS_exit_group
    P(exit_group);
#endif
#ifdef SYS_sched_setaffinity
    P(sched_setaffinity);
#endif
#ifdef SYS_sched_getaffinity
    P(sched_getaffinity);
#endif
#ifdef SYS_getrusage
    P(getrusage);
#endif
#ifdef SYS_listen
    P(listen);
#endif
#ifdef SYS_accept
    P(accept);
#endif
#ifdef SYS_accept4
    P(accept4);
#endif
#ifdef SYS_clone
    P(clone);
#endif
#ifdef SYS_mount
    P(mount);
#endif
#ifdef SYS_umount2
    P(umount2);
#endif
#ifdef SYS_pivot_root
    P(pivot_root);
#endif
#ifdef SYS_chroot
    P(chroot);
#endif
#ifdef SYS_setns
    P(setns);
#endif
#ifdef SYS_open_tree
    P(open_tree);
#endif
#ifdef SYS_move_mount
    P(move_mount);
#endif
#ifdef SYS_fsopen
    P(fsopen);
#endif
#ifdef SYS_fsmount
    P(fsmount);
#endif
#ifdef SYS_fspick
    P(fspick);
#endif
#ifdef SYS_mount_setattr
    P(mount_setattr);
#endif
#ifdef SYS_fanotify_init
    P(fanotify_init);
#endif
#ifdef SYS_chown
    P(chown);
#endif
#ifdef SYS_fchown
    P(fchown);
#endif
#ifdef SYS_lchown
    P(lchown);
#endif
#ifdef SYS_fchownat
    P(fchownat);
#endif
#ifdef SYS_setuid
    P(setuid);
#endif
#ifdef SYS_setgid
    P(setgid);
#endif
#ifdef SYS_setreuid
    P(setreuid);
#endif
#ifdef SYS_setregid
    P(setregid);
#endif
#ifdef SYS_setgroups
    P(setgroups);
#endif
#ifdef SYS_setresuid
    P(setresuid);
#endif
#ifdef SYS_setresgid
    P(setresgid);
#endif
#ifdef SYS_mknod
    P(mknod);
#endif
#ifdef SYS_mknodat
    P(mknodat);
#endif
#ifdef SYS_unshare
    P(unshare);
#endif
#ifdef SYS_sethostname
    P(sethostname);
#endif
#ifdef SYS_init_module
    P(init_module);
#endif
#ifdef SYS_finit_module
    P(finit_module);
#endif
#ifdef SYS_delete_module
    P(delete_module);
#endif
#ifdef SYS_reboot
    P(reboot);
#endif
#ifdef SYS_kexec_load
    P(kexec_load);
#endif
#ifdef SYS_kexec_file_load
    P(kexec_file_load);
#endif
#ifdef SYS_settimeofday
    P(settimeofday);
#endif
#ifdef SYS_clock_settime
    P(clock_settime);
#endif
#ifdef SYS_adjtimex
    P(adjtimex);
#endif
#ifdef SYS_iopl
    P(iopl);
#endif
#ifdef SYS_ioperm
    P(ioperm);
#endif
#ifdef SYS_bpf
    P(bpf);
#endif
#ifdef SYS_perf_event_open
    P(perf_event_open);
#endif
#ifdef SYS_chdir
    P(chdir);
#endif
#ifdef SYS_fchdir
    P(fchdir);
#endif
#ifdef SYS_io_uring_setup
    P(io_uring_setup);
#endif
#ifdef SYS_clone3
    P(clone3);
#endif
#ifdef SYS_userfaultfd
    P(userfaultfd);
#endif
#ifdef SYS_fork
    P(fork);
#endif
#ifdef SYS_vfork
    P(vfork);
#endif
    return 0;
}
