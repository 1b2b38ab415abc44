/* Prints the syscall numbers of <sys/syscall.h> for the names Ward traps. */
#include <stdio.h>
#include <sys/syscall.h>
#define P(n) printf("%s=%d\n", #n, SYS_##n)
int main(void) {
    P(execve); P(execveat); P(open); P(openat); P(openat2); P(creat); P(unlink); P(unlinkat);
    P(rename); P(renameat); P(renameat2); P(link); P(linkat); P(symlink); P(symlinkat); P(chmod);
    P(fchmod); P(fchmodat); P(socket); P(connect); P(bind); P(listen); P(accept); P(accept4);
    P(ptrace); P(process_vm_writev); P(io_uring_setup); P(fchdir); P(clone); P(clone3);
#ifdef SYS_fchmodat2
    P(fchmodat2);
#else
    printf("fchmodat2=452\n");
#endif
    return 0;
}
