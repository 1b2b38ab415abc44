/* Routes around a Block that do not go through a path Ward decides, or that go after Ward itself. Each mode
 * prints "MODE read" if it got the secret's bytes (or did what it should not), "MODE denied errno=N" when
 * refused; modes that Ward answers by killing the process print nothing after the attempt.
 *   usage: attack DIR MODE [ARG]   (DIR/vault/secret holds "hunter2"; DIR is the cwd)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static char secret[4096];

static int got_secret(int fd) {
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    return n > 0 && strstr(buf, "hunter2") != NULL;
}

static void report(const char *mode, int fd) {
    if (fd < 0) {
        printf("%s denied errno=%d\n", mode, errno);
        return;
    }
    printf("%s %s\n", mode, got_secret(fd) ? "read" : "other");
}

static void result(const char *mode, long r) {
    printf("%s %s errno=%d\n", mode, r >= 0 ? "done" : "denied", r >= 0 ? 0 : errno);
}

/* A seccomp filter of the workload's own that makes close(2) fail with EPERM. */
static long refuse_close(void) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_close, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = 4, .filter = f};
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static volatile int stop;
static char linkpath[4096];

static void *opener(void *arg) {
    (void) arg;
    while (!stop) {
        int fd = open(linkpath, O_RDONLY);
        if (fd >= 0) close(fd);
    }
    return NULL;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *dir = argv[1], *mode = argv[2], *arg = argc > 3 ? argv[3] : "";
    char p[4096];
    snprintf(secret, sizeof secret, "%s/vault/secret", dir);
    if (chdir(dir) != 0) return 2;
    if (!strcmp(mode, "closefilter")) {          /* revocation must not depend on the workload's close */
        snprintf(p, sizeof p, "%s/link", dir);
        symlink(secret, p);
        long r = refuse_close();
        printf("closefilter filter=%ld\n", r);
        report(mode, open(p, O_RDONLY));
    } else if (!strcmp(mode, "threadread")) {    /* another thread reads the descriptor before revocation */
        snprintf(linkpath, sizeof linkpath, "%s/link", dir);
        symlink(secret, linkpath);
        pthread_t t;
        pthread_create(&t, NULL, opener, NULL);
        int got = 0;
        for (int i = 0; i < 20000; i++) {
            for (int fd = 3; fd < 12; fd++) {
                char buf[64] = {0};
                if (pread(fd, buf, sizeof buf - 1, 0) > 0 && strstr(buf, "hunter2")) got++;
            }
        }
        stop = 1;
        pthread_join(t, NULL);
        printf("%s %s reads=%d\n", mode, got ? "read" : "denied", got);
    } else if (!strcmp(mode, "handle")) {
        struct file_handle *fh = malloc(sizeof *fh + MAX_HANDLE_SZ);
        fh->handle_bytes = MAX_HANDLE_SZ;
        int mount_id;
        if (name_to_handle_at(AT_FDCWD, secret, fh, &mount_id, 0) != 0) {
            printf("%s unsupported errno=%d\n", mode, errno);
            return 0;
        }
        int mfd = open(dir, O_RDONLY | O_DIRECTORY);
        report(mode, open_by_handle_at(mfd, fh, O_RDONLY));
    } else if (!strcmp(mode, "opentree")) {
        int tree = (int) syscall(SYS_open_tree, AT_FDCWD, dir, 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC);
        if (tree < 0) {
            printf("%s denied errno=%d\n", mode, errno);
            return 0;
        }
        report(mode, openat(tree, "vault/secret", O_RDONLY));
    } else if (!strcmp(mode, "bindmount")) {
        /* as root a mount namespace is enough; another user makes a user namespace, where it may mount */
        int flags = getuid() == 0 ? CLONE_NEWNS : CLONE_NEWUSER | CLONE_NEWNS;
        if (unshare(flags) != 0) { printf("%s unshare errno=%d\n", mode, errno); return 0; }
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
            printf("%s denied errno=%d\n", mode, errno);
            return 0;
        }
        mkdir("other", 0755);
        snprintf(p, sizeof p, "%s/vault", dir);
        if (mount(p, "other", NULL, MS_BIND, NULL) != 0) {
            printf("%s denied errno=%d\n", mode, errno);
            return 0;
        }
        report(mode, open("other/secret", O_RDONLY));
    } else if (!strcmp(mode, "renamedir")) {     /* a new name for the secret's directory */
        if (rename("vault", "vault2") != 0) {
            printf("%s denied errno=%d\n", mode, errno);
            return 0;
        }
        report(mode, open("vault2/secret", O_RDONLY));
    } else if (!strcmp(mode, "chroot")) {
        if (chroot(dir) != 0) {
            printf("%s denied errno=%d\n", mode, errno);
            return 0;
        }
        report(mode, open("/vault/secret", O_RDONLY));
    } else if (!strcmp(mode, "truncate")) {
        result(mode, truncate(secret, 0));
    } else if (!strcmp(mode, "xattr")) {
        result(mode, setxattr(secret, "user.ward", "x", 1, 0));
    } else if (!strcmp(mode, "utimes")) {
        result(mode, utimensat(AT_FDCWD, secret, NULL, 0));
    } else if (!strcmp(mode, "untraced")) {      /* a child the tracer would never see */
        long pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
        if (pid == 0) {
            sleep(1);
            int fd = open(secret, O_RDONLY);
            printf("%s child %s\n", mode, fd >= 0 && got_secret(fd) ? "read" : "denied");
            _exit(0);
        }
        printf("%s %s errno=%d\n", mode, pid > 0 ? "cloned" : "denied", pid > 0 ? 0 : errno);
    } else if (!strcmp(mode, "clone3")) {
        struct { unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls; }
            args = {.flags = CLONE_UNTRACED, .exit_signal = SIGCHLD};
        long pid = syscall(435, &args, sizeof args);
        if (pid == 0) _exit(0);
        printf("%s %s errno=%d\n", mode, pid > 0 ? "cloned" : "denied", pid > 0 ? 0 : errno);
    } else if (!strcmp(mode, "notify")) {        /* a listener of our own would outrank Ward's trace */
        struct sock_filter f[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
        struct sock_fprog prog = {.len = 1, .filter = f};
        result(mode, syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog));
    } else if (!strcmp(mode, "agentmem")) {      /* the agent is our parent */
        snprintf(p, sizeof p, "/proc/%d/mem", getppid());
        result(mode, open(p, O_RDWR));
    } else if (!strcmp(mode, "agentenv")) {
        snprintf(p, sizeof p, "/proc/%d/environ", getppid());
        int fd = open(p, O_RDONLY);
        char buf[8192] = {0};
        if (fd < 0 || read(fd, buf, sizeof buf) <= 0) { printf("%s denied errno=%d\n", mode, errno); return 0; }
        printf("%s done errno=0\n", mode);
    } else if (!strcmp(mode, "othermem")) {     /* another workload process's memory: ptrace by another name */
        pid_t child = fork();
        if (child == 0) { sleep(2); _exit(0); }
        snprintf(p, sizeof p, "/proc/%d/mem", child);
        result(mode, open(p, O_RDWR));
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    } else if (!strcmp(mode, "agentstat")) {     /* what ps reads stays readable */
        snprintf(p, sizeof p, "/proc/%d/stat", getppid());
        result(mode, open(p, O_RDONLY));
    } else if (!strcmp(mode, "agentfd")) {
        int pidfd = (int) syscall(SYS_pidfd_open, getppid(), 0);
        long fd = pidfd < 0 ? -1 : syscall(438 /* pidfd_getfd */, pidfd, 0, 0);
        result(mode, fd);
    } else if (!strcmp(mode, "agentvm")) {
        char buf[16];
        struct iovec local = {buf, sizeof buf}, remote = {(void *) 0x400000, sizeof buf};
        result(mode, process_vm_readv(getppid(), &local, 1, &remote, 1, 0));
    } else if (!strcmp(mode, "policywrite")) {   /* ARG: the policy file the agent watches */
        result(mode, open(arg, O_WRONLY | O_APPEND));
    } else if (!strcmp(mode, "policylink")) {    /* a symlink to it, opened for writing */
        snprintf(p, sizeof p, "%s/policy-link", dir);
        symlink(arg, p);
        result(mode, open(p, O_WRONLY | O_APPEND));
    } else if (!strcmp(mode, "reads")) {         /* ARG read-only opens of the secret: no attack, a workload */
        int n = atoi(arg), ok = 0;
        for (int i = 0; i < n; i++) {
            int fd = open(secret, O_RDONLY | O_CLOEXEC);
            if (fd >= 0) { ok++; close(fd); }
        }
        printf("%s done opened=%d\n", mode, ok);
    } else if (!strcmp(mode, "loader")) {        /* the blocked binary through the dynamic loader */
        char *args[] = {"/lib64/ld-linux-x86-64.so.2", "/usr/bin/id", NULL};
        execv(args[0], args);
        printf("%s exec errno=%d\n", mode, errno);
    }
    return 0;
}
