/*
 * stamp: clock readings for the launch-latency benchmark (run.sh). Built static, so the workload's
 * own start-up (no dynamic loader, no libraries) adds almost nothing to what is measured.
 *
 * Question: how long from "the container runtime starts the entrypoint" to "the workload's first
 * instruction of main()", when the entrypoint is `ward run -- WORKLOAD` instead of WORKLOAD itself?
 *
 *   stamp --exec CMD [ARGS...]   prints "stamp: launch_ns=T0", then execvp(CMD): T0 is the last moment
 *                                before the entrypoint starts (one execve later, CMD runs).
 *   stamp                        prints "stamp: start_ns=T1" first thing in main().
 *
 * run.sh runs `stamp --exec <tracer...> stamp` and reports T1 - T0; with no tracer in between this is
 * the cost of two execs of a static binary, the native baseline. CLOCK_MONOTONIC is one clock for
 * the whole machine, so readings from two processes can be subtracted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    long long t = now_ns();
    if (argc >= 3 && strcmp(argv[1], "--exec") == 0) {
        printf("stamp: launch_ns=%lld\n", now_ns());
        fflush(stdout);
        execvp(argv[2], argv + 2);
        fprintf(stderr, "stamp: %s: %s\n", argv[2], strerror(errno));
        return 127;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: stamp [--exec CMD [ARGS...]]\n");
        return 2;
    }
    printf("stamp: start_ns=%lld\n", t);
    return 0;
}
