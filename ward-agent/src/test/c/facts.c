/*
 * facts: changes its uid or cwd between opens, for the reports' UID and Cwd (ReportFactsTest). Each open names a
 * file that need not exist: the log of the open is what the test reads.
 *
 *   facts uid CALL DIR    open DIR/before; a thread waits; CALL (setuid, setreuid or setresuid, through the C
 *                         library, which makes every thread call it) to 65534; the thread opens DIR/thread; the
 *                         main thread opens DIR/after; a fork child opens DIR/child
 *   facts cwd D1 D2       chdir D1, open "before"; a thread waits; chdir D2; the thread opens "thread"; open "after";
 *                         a fork child opens "child", chdirs to D1 and opens "child-moved"; then open "parent";
 *                         fchdir to D1, open "fchdir"; chdir D2/sub, open "sub"; rename D2/sub to D2/moved, open
 *                         "renamed"
 *   facts gate D1 D2      for every descriptor number 3..1023 not in use: chdir D1, open "g1", put D2 there, fchdir
 *                         to it, open "g2" (one number is the one the spawn gate answers instead of the tracer)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int go[2];

static void touch(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        close(fd);
    }
}

static void *waiter(void *arg) {
    char c;
    if (read(go[0], &c, 1) != 1) {
        exit(3);
    }
    touch((const char *) arg);
    return NULL;
}

static void in(char *out, const char *dir, const char *name) {
    snprintf(out, 4096, "%s/%s", dir, name);
}

static int uid(const char *call, const char *dir) {
    static char before[4096], thread[4096], after[4096], child[4096];
    in(before, dir, "before");
    in(thread, dir, "thread");
    in(after, dir, "after");
    in(child, dir, "child");
    touch(before);
    pthread_t t;
    if (pipe(go) != 0 || pthread_create(&t, NULL, waiter, thread) != 0) {
        return 2;
    }
    int r = strcmp(call, "setuid") == 0 ? setuid(65534)
            : strcmp(call, "setreuid") == 0 ? setreuid(65534, 65534) : setresuid(65534, 65534, 65534);
    if (r != 0) {
        perror(call);
        return 1;
    }
    if (write(go[1], "x", 1) != 1 || pthread_join(t, NULL) != 0) {
        return 2;
    }
    touch(after);
    pid_t p = fork();
    if (p == 0) {
        touch(child);
        _exit(0);
    }
    waitpid(p, NULL, 0);
    return 0;
}

static int cwd(const char *d1, const char *d2) {
    char sub[4096], moved[4096];
    in(sub, d2, "sub");
    in(moved, d2, "moved");
    if (chdir(d1) != 0) {
        return 1;
    }
    touch("before");
    pthread_t t;
    if (pipe(go) != 0 || pthread_create(&t, NULL, waiter, "thread") != 0 || chdir(d2) != 0) {
        return 2;
    }
    if (write(go[1], "x", 1) != 1 || pthread_join(t, NULL) != 0) {
        return 2;
    }
    touch("after");
    pid_t p = fork();
    if (p == 0) {
        touch("child");
        if (chdir(d1) != 0) {
            _exit(1);
        }
        touch("child-moved");
        _exit(0);
    }
    waitpid(p, NULL, 0);
    touch("parent");
    int d = open(d1, O_RDONLY | O_DIRECTORY);
    if (d < 0 || fchdir(d) != 0) {
        return 1;
    }
    close(d);
    touch("fchdir");
    if (mkdir(sub, 0755) != 0 || chdir(sub) != 0) {
        return 1;
    }
    touch("sub");
    if (rename(sub, moved) != 0) {
        return 1;
    }
    touch("renamed");
    return 0;
}

static int gate(const char *d1, const char *d2) {
    int tried = 0;
    for (int n = 3; n < 1024; n++) {
        if (fcntl(n, F_GETFD) != -1) {
            continue; /* in use */
        }
        if (chdir(d1) != 0) {
            return 1;
        }
        touch("g1");
        int d = open(d2, O_RDONLY | O_DIRECTORY);
        if (d < 0 || (d != n && dup2(d, n) != n) || fchdir(n) != 0) {
            return 1;
        }
        touch("g2");
        close(n);
        if (d != n) {
            close(d);
        }
        tried++;
    }
    printf("tried=%d\n", tried);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "uid") == 0) {
        return uid(argv[2], argv[3]);
    }
    if (argc == 4 && strcmp(argv[1], "cwd") == 0) {
        return cwd(argv[2], argv[3]);
    }
    if (argc == 4 && strcmp(argv[1], "gate") == 0) {
        return gate(argv[2], argv[3]);
    }
    fprintf(stderr, "usage: facts uid setuid|setreuid|setresuid DIR | facts cwd|gate D1 D2\n");
    return 2;
}
