/* Ways a naive path-string enforcer is fooled. Each mode tries to read the secret (or run the blocked
 * binary) by another route and prints "MODE read" if it got the secret's bytes, "MODE denied errno=N"
 * otherwise; exec modes print "MODE exec errno=N" when refused (success replaces the process).
 *   usage: bypass DIR MODE     (DIR holds "secret"; it is the cwd)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

static char secret[4096];

static void report(const char *mode, int fd) {
    if (fd < 0) {
        printf("%s denied errno=%d\n", mode, errno);
        return;
    }
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("%s %s\n", mode, n > 0 && strstr(buf, "hunter2") ? "read" : "other");
    close(fd);
}

static volatile int stop;
static char racebuf[4096];
static char okpath[4096];

static void *flipper(void *arg) {
    (void) arg;
    while (!stop) {
        strcpy(racebuf, secret);
        strcpy(racebuf, okpath);
    }
    return NULL;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *dir = argv[1], *mode = argv[2];
    char p[4096];
    snprintf(secret, sizeof secret, "%s/secret", dir);
    if (chdir(dir) != 0) return 2;
    if (!strcmp(mode, "symlink")) {
        snprintf(p, sizeof p, "%s/link", dir);
        symlink(secret, p);
        report(mode, open(p, O_RDONLY));
    } else if (!strcmp(mode, "hardlink")) {          /* the link exists before the agent started */
        snprintf(p, sizeof p, "%s/hard", dir);
        report(mode, open(p, O_RDONLY));
    } else if (!strcmp(mode, "newhardlink")) {       /* making one is a write to the secret */
        snprintf(p, sizeof p, "%s/hard2", dir);
        int r = link(secret, p);
        printf("%s %s errno=%d\n", mode, r == 0 ? "linked" : "denied", r == 0 ? 0 : errno);
    } else if (!strcmp(mode, "dotdot")) {
        mkdir("sub", 0755);
        chdir("sub");
        report(mode, open("../sub/./../secret", O_RDONLY));
    } else if (!strcmp(mode, "dirfd")) {
        int d = open(dir, O_DIRECTORY | O_RDONLY);
        report(mode, openat(d, "secret", O_RDONLY));
    } else if (!strcmp(mode, "procroot")) {
        snprintf(p, sizeof p, "/proc/self/root%s", secret);
        report(mode, open(p, O_RDONLY));
    } else if (!strcmp(mode, "proccwd")) {
        report(mode, open("/proc/self/cwd/secret", O_RDONLY));
    } else if (!strcmp(mode, "procfd")) {
        int d = open(dir, O_DIRECTORY | O_RDONLY);
        snprintf(p, sizeof p, "/proc/self/fd/%d/secret", d);
        report(mode, open(p, O_RDONLY));
    } else if (!strcmp(mode, "openat2")) {
        struct open_how how = {.flags = O_RDONLY};
        report(mode, (int) syscall(SYS_openat2, AT_FDCWD, secret, &how, sizeof how));
    } else if (!strcmp(mode, "creat")) {
        int fd = creat(secret, 0644);
        printf("%s %s errno=%d\n", mode, fd >= 0 ? "truncated" : "denied", fd >= 0 ? 0 : errno);
    } else if (!strcmp(mode, "rename")) {
        int r = rename(secret, "stolen");
        printf("%s %s errno=%d\n", mode, r == 0 ? "renamed" : "denied", r == 0 ? 0 : errno);
    } else if (!strcmp(mode, "race")) {
        snprintf(okpath, sizeof okpath, "%s/ok", dir);
        strcpy(racebuf, okpath);
        pthread_t t;
        pthread_create(&t, NULL, flipper, NULL);
        int got = 0, tries = 0;
        for (; tries < 20000; tries++) {
            int fd = open(racebuf, O_RDONLY);
            if (fd >= 0) {
                char buf[64] = {0};
                if (read(fd, buf, sizeof buf - 1) > 0 && strstr(buf, "hunter2")) got++;
                close(fd);
            }
        }
        stop = 1;
        pthread_join(t, NULL);
        printf("%s %s reads=%d of %d\n", mode, got ? "read" : "denied", got, tries);
    } else if (!strcmp(mode, "shmrace") || !strcmp(mode, "dirswap") || !strcmp(mode, "linkswap")) {
        /* Another process (not a thread: these opens may be decided at entry alone) races each open: shmrace
         * flips the path in memory both processes map; dirswap exchanges d (d/f: a file) with e (e/f: a
         * symlink to the secret), so that "d/f", plain when checked, could lead to the secret when opened;
         * linkswap points the link l at d (d/secret: a plain file) and at "." in turn, so that "l/secret",
         * one link away from a plain file when checked, could be the secret when opened. */
        int shm = !strcmp(mode, "shmrace"), link = !strcmp(mode, "linkswap");
        char *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        snprintf(okpath, sizeof okpath, "%s/ok", dir);
        strcpy(buf, shm ? okpath : link ? "l/secret" : "d/f");
        if (link) {
            mkdir("d", 0755);
            close(creat("d/secret", 0644));
            symlink("d", "l");
        } else if (!shm) {
            mkdir("d", 0755);
            mkdir("e", 0755);
            close(creat("d/f", 0644));
            symlink(secret, "e/f");
        }
        pid_t child = fork();
        if (child == 0) {
            for (;;) {
                if (shm) {
                    strcpy(buf, secret);
                    strcpy(buf, okpath);
                } else if (link) {
                    symlink(".", "t");
                    rename("t", "l");
                    usleep(20); /* gaps with no rename in flight, in which opens may be decided at entry alone */
                    symlink("d", "t");
                    rename("t", "l");
                    usleep(20);
                } else {
                    syscall(SYS_renameat2, AT_FDCWD, "d", AT_FDCWD, "e", 2 /* RENAME_EXCHANGE */);
                }
            }
        }
        int got = 0, tries = 0;
        for (; tries < 20000; tries++) {
            int fd = open(buf, O_RDONLY);
            if (fd >= 0) {
                char b[64] = {0};
                if (read(fd, b, sizeof b - 1) > 0 && strstr(b, "hunter2")) got++;
                close(fd);
            }
        }
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        printf("%s %s reads=%d of %d\n", mode, got ? "read" : "denied", got, tries);
    } else if (!strcmp(mode, "execsymlink")) {
        snprintf(p, sizeof p, "%s/myid", dir);
        symlink("/usr/bin/id", p);
        char *args[] = {p, NULL};
        execv(p, args);
        printf("%s exec errno=%d\n", mode, errno);
    } else if (!strcmp(mode, "execveat")) {
        int fd = open("/usr/bin/id", O_PATH);
        char *args[] = {"id", NULL};
        char *env[] = {NULL};
        syscall(SYS_execveat, fd, "", args, env, AT_EMPTY_PATH);
        printf("%s exec errno=%d\n", mode, errno);
    } else if (!strcmp(mode, "uring")) {
        char params[120] = {0};
        long r = syscall(425, 8, params);
        printf("%s %s errno=%d\n", mode, r >= 0 ? "ring" : "denied", r >= 0 ? 0 : errno);
    }
    return 0;
}
