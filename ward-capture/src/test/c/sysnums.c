/* Prints the syscall numbers of <sys/syscall.h> for the names Ward traps. */
#include <stdio.h>
#include <sys/syscall.h>
#define P(n) printf("%s=%d\n", #n, SYS_##n)
int main(void) {
    P(execve); P(execveat); P(open); P(openat); P(openat2); P(creat); P(unlink); P(unlinkat);
    P(rename); P(renameat); P(renameat2); P(link); P(linkat); P(symlink); P(symlinkat); P(chmod);
    P(fchmod); P(fchmodat); P(socket); P(connect); P(bind); P(getpeername); P(listen); P(accept); P(accept4);
    P(ptrace); P(process_vm_writev); P(io_uring_setup); P(fchdir); P(clone); P(clone3);
    P(chown); P(fchown); P(lchown); P(fchownat); P(setuid); P(setgid); P(setreuid); P(setregid);
    P(setgroups); P(setresuid); P(setresgid); P(capset); P(mknod); P(mknodat); P(chroot); P(mount);
    P(umount2); P(pivot_root); P(unshare); P(setns); P(sethostname); P(init_module); P(finit_module);
    P(delete_module); P(reboot); P(kexec_load); P(kexec_file_load); P(settimeofday); P(clock_settime);
    P(adjtimex); P(iopl); P(ioperm); P(bpf); P(perf_event_open);
    P(open_by_handle_at); P(truncate); P(utime); P(utimes); P(futimesat); P(utimensat); P(setxattr);
    P(lsetxattr); P(fsetxattr); P(removexattr); P(lremovexattr); P(fremovexattr); P(process_vm_readv);
    P(pidfd_getfd); P(seccomp); P(open_tree); P(move_mount); P(fsopen); P(fsmount); P(fspick);
    P(mount_setattr); P(fanotify_init); P(userfaultfd);
#ifdef SYS_fchmodat2
    P(fchmodat2);
#else
    printf("fchmodat2=452\n");
#endif
    return 0;
}
