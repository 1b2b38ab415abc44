/*
 * loops: the workload of the tracer-overhead benchmark (run.sh).
 *
 * Question: how long does one iteration of a syscall pattern take, measured inside the workload, so
 * that the same binary can be run natively and under each tracer and only the loop is timed (no
 * process start-up, no tracer start-up, no JVM warm-up).
 *
 * Scenarios (argv[1]) and the sizes run.sh uses by default:
 *   openclose N PATH  N x open(PATH, O_RDONLY) + close: one trapped syscall (openat) and one untrapped
 *                     (close) per iteration. Default N = 200000.
 *   getpid N          N x syscall(SYS_getpid): untrapped; measures what the seccomp filter itself costs
 *                     on the fast path. The raw syscall, because glibc does not cache getpid any more
 *                     but the call must not be optimised into something else. Default N = 5000000.
 *   forkexec N        N x fork + execve("/bin/true") + waitpid: process creation under the tracer
 *                     (fork event, exec trap, exec event, the dynamic loader's opens). Default N = 2000.
 *
 * Before the timed loop, W = N/10 iterations run untimed (override with a fourth argument for
 * openclose, a third for the others) so that the tracer under test is in its steady state (JIT
 * compiled, caches warm) when timing starts.
 *
 * Output, one line on stdout, parsed by run.sh:
 *   loops: mode=openclose n=200000 total_ns=... ns_per_op=...
 * Time is CLOCK_MONOTONIC read right before and right after the loop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what) {
    fprintf(stderr, "loops: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void open_close(long n, const char *path) {
    for (long i = 0; i < n; i++) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            die(path);
        }
        close(fd);
    }
}

static void get_pid(long n) {
    for (long i = 0; i < n; i++) {
        syscall(SYS_getpid);
    }
}

static void fork_exec(long n) {
    char *const argv[] = {"/bin/true", NULL};
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            die("fork");
        }
        if (pid == 0) {
            execve(argv[0], argv, environ);
            _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) < 0) {
            die("waitpid");
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "loops: /bin/true failed (status 0x%x)\n", status);
            exit(1);
        }
    }
}

static void run(const char *mode, long n, const char *path) {
    if (strcmp(mode, "openclose") == 0) {
        open_close(n, path);
    } else if (strcmp(mode, "getpid") == 0) {
        get_pid(n);
    } else {
        fork_exec(n);
    }
}

static long parse_count(const char *s, const char *what) {
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0) {
        fprintf(stderr, "loops: %s must be a non-negative integer, got '%s'\n", what, s);
        exit(2);
    }
    return v;
}

static void usage(void) {
    fprintf(stderr, "usage: loops openclose N PATH [WARMUP] | getpid N [WARMUP] | forkexec N [WARMUP]\n");
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        usage();
    }
    const char *mode = argv[1];
    int is_open = strcmp(mode, "openclose") == 0;
    if (!is_open && strcmp(mode, "getpid") != 0 && strcmp(mode, "forkexec") != 0) {
        usage();
    }
    int fixed = is_open ? 4 : 3; /* argc without the optional WARMUP */
    if (argc != fixed && argc != fixed + 1) {
        usage();
    }
    long n = parse_count(argv[2], "N");
    const char *path = is_open ? argv[3] : NULL;
    long warmup = argc == fixed + 1 ? parse_count(argv[fixed], "WARMUP") : n / 10;

    run(mode, warmup, path);
    long long t0 = now_ns();
    run(mode, n, path);
    long long t1 = now_ns();

    double per_op = n > 0 ? (double) (t1 - t0) / (double) n : 0.0;
    printf("loops: mode=%s n=%ld total_ns=%lld ns_per_op=%.2f\n", mode, n, t1 - t0, per_op);
    return 0;
}
