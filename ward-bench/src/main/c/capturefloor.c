/*
 * capturefloor: the floor of a captured connect() (issue 14's "transparent capture <= 30 us per connect").
 *
 * Question: what does it cost at least to move a workload's blocking connect() onto a local capture port the way
 * Ward's MeshCapture does it, through a ptrace seccomp stop and through a seccomp user notification (with and
 * without SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, Linux 6.6), next to the same connect untraced? No Java, no
 * decision, nothing but the kernel's round trip and the redirect's own calls.
 *
 * A forked child (the workload) times W + N blocking connects to 127.0.0.1:A (CLOCK_MONOTONIC around the call
 * alone; W untimed first; each socket closed with SO_LINGER 0, so that no TIME_WAIT uses up the ports). Two
 * listeners stand for the destination (A) and the capture port (B); a thread each accepts and closes. Modes:
 *   untraced          no filter.
 *   ptrace-stop       connect -> SECCOMP_RET_TRACE; the tracer (this process, PTRACE_SEIZE) answers each stop
 *                     with PTRACE_GETREGS, process_vm_readv of the sockaddr and PTRACE_CONT.
 *   ptrace-calls      the same, plus the redirect's calls but the connect, in Ward's order: pidfd_getfd,
 *                     getsockopt(SO_TYPE), fcntl(F_GETFL), getsockname, fstat, close (no bind: Ward's MeshCapture
 *                     leaves the source to the connect). The workload's own connect then makes the handshake to A.
 *   ptrace-redirect   the same, with Ward's sendto(MSG_FASTOPEN | MSG_DONTWAIT) to B between fcntl and getsockname:
 *                     the handshake runs in the tracer's call; the workload's connect finds it done (or, when the
 *                     sendto already returned 0, the call is skipped with PTRACE_SETREGS, answering 0).
 *   notif-*           the same three through SECCOMP_RET_USER_NOTIF: SECCOMP_IOCTL_NOTIF_RECV, process_vm_readv,
 *                     SECCOMP_IOCTL_NOTIF_ID_VALID (the pid could be reused once the sockaddr is read), the calls,
 *                     SECCOMP_IOCTL_NOTIF_SEND with SECCOMP_USER_NOTIF_FLAG_CONTINUE (or the answer 0).
 *   sync-*            notif-* with SECCOMP_IOCTL_NOTIF_SET_FLAGS(SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) on the listener.
 * The child installs the filter itself (with SECCOMP_FILTER_FLAG_NEW_LISTENER for notifications); the supervisor
 * takes the listener with pidfd_getfd.
 *
 * Each round runs every mode once, the order rotated by one each round. Per mode and round, one line: connect
 * p10, median, mean, p99 (us), the workload's CPU per connect (its timed loop: socket, connect, setsockopt,
 * close), the supervisor thread's CPU per connect (CLOCK_THREAD_CPUTIME_ID over the N timed stops) and its
 * process's (CLOCK_PROCESS_CPUTIME_ID over the same stops: the accepting threads too). A mode
 * whose connects did not reach the listener it should (B when redirected, else A) fails the run.
 *
 * With -d, the listeners accept only between runs: the connections wait in the backlog (W + N must fit
 * net.core.somaxconn), so that no accepting thread competes with the workload and the supervisor for the CPU while
 * they are timed. Without it, the accepting thread runs during the loop as a proxy's would (and a connect's time is
 * bimodal: the thread it wakes sometimes runs first on the workload's CPU).
 *
 * With -c, the supervisor also times each of the redirect's calls (CLOCK_MONOTONIC around each, a little slower
 * then) and prints their mean under the mode's line.
 *
 * The workload and the listeners are in capturefloor-workload.c, what both files share in capturefloor.h.
 *
 * With -t HOST:PORT, the program is the workload alone, for Ward's tracer to stop (capturefloor-workload.c).
 *
 * Usage: capturefloor [-c] [-d] [-n N] [-w W] [-r ROUNDS] [MODE...]   (defaults 5000, 500, 5, every mode)
 *        capturefloor -t HOST:PORT [-n N] [-w W]
 */
#include "capturefloor.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS /* Linux 6.6; older headers lack it */
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#define RUN (-1000000L) /* the workload's own call runs */

enum mech { NONE, PTRACE, NOTIF, SYNC };
enum work { STOP, CALLS, REDIRECT };
static const char *MODES[] = {"untraced", "ptrace-stop", "ptrace-calls", "ptrace-redirect", "notif-stop",
        "notif-calls", "notif-redirect", "sync-stop", "sync-calls", "sync-redirect"};
#define N_MODES ((int) (sizeof MODES / sizeof MODES[0]))

/* -c: the supervisor's time in each of the redirect's calls (CLOCK_MONOTONIC, all connects of a run). */
#define N_CALLS 7
static const char *CALL_NAMES[N_CALLS] = {"pidfd_getfd", "getsockopt", "fcntl", "sendto", "getsockname", "fstat",
        "close"};
static long long call_ns[N_CALLS];
static long redirects;
static int show_calls;
/* -d: connections wait in the listeners' backlogs until the workload is done (no accepting thread competes). */
static int defer_accepts;

static long long lap(int call, long long since) {
    if (!show_calls) {
        return 0;
    }
    long long t = clock_ns(CLOCK_MONOTONIC);
    call_ns[call] += t - since;
    return t;
}

/*
 * What Ward's MeshCapture does at a connect of a blocking socket, once the sockaddr is read: the answer, or RUN.
 * The 127.0.0.1:A check stands for the redirector's lookup.
 */
static long redirect(enum work w, int pidfd, int fd, const struct sockaddr_in *asked) {
    if (w == STOP || asked->sin_family != AF_INET || asked->sin_port != dest_addr.sin_port) {
        return RUN;
    }
    long long t = show_calls ? clock_ns(CLOCK_MONOTONIC) : 0;
    int s = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
    if (s < 0) {
        die("pidfd_getfd");
    }
    t = lap(0, t);
    int type = 0, r = -EINPROGRESS;
    socklen_t len = sizeof type;
    struct sockaddr_in local;
    struct stat st;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len);
    t = lap(1, t);
    int flags = fcntl(s, F_GETFL);
    t = lap(2, t);
    if (type != SOCK_STREAM || (flags & O_NONBLOCK)) {
        die("the workload's socket");
    }
    if (w == REDIRECT) {
        r = sendto(s, NULL, 0, MSG_FASTOPEN | MSG_DONTWAIT, (struct sockaddr *) &capture_addr, sizeof capture_addr);
        r = r == 0 ? 0 : -errno;
        if (r != 0 && r != -EINPROGRESS) {
            errno = -r;
            die("sendto(MSG_FASTOPEN) to the capture port");
        }
    }
    t = lap(3, t);
    len = sizeof local;
    getsockname(s, (struct sockaddr *) &local, &len);
    t = lap(4, t);
    fstat(s, &st);
    t = lap(5, t);
    close(s);
    lap(6, t);
    redirects++;
    return r == 0 ? 0 : RUN;
}

static void supervise_ptrace(pid_t child, int pidfd, enum work w, long long *cpu) {
    int status;
    long stops = 0;
    if (waitpid(child, &status, WSTOPPED) < 0 || ptrace(PTRACE_SEIZE, child, 0, PTRACE_O_TRACESECCOMP
            | PTRACE_O_EXITKILL) != 0) {
        die("ptrace(PTRACE_SEIZE)");
    }
    kill(child, SIGCONT);
    while (waitpid(child, &status, __WALL) == child && WIFSTOPPED(status)) {
        if ((unsigned) status >> 16 != PTRACE_EVENT_SECCOMP) {
            int sig = WSTOPSIG(status);
            ptrace(PTRACE_CONT, child, 0, sig == SIGCONT || sig == SIGSTOP || sig == SIGTRAP ? 0 : sig);
            continue;
        }
        if (stops == n_warm) {
            cpu[0] = clock_ns(CLOCK_THREAD_CPUTIME_ID);
            cpu[2] = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
        }
        struct user_regs_struct regs;
        struct sockaddr_in asked;
        ptrace(PTRACE_GETREGS, child, 0, &regs);
        read_sockaddr(child, regs.rsi, regs.rdx, &asked);
        long r = redirect(w, pidfd, (int) regs.rdi, &asked);
        if (r != RUN) {
            regs.orig_rax = -1; /* skip the call, answering r */
            regs.rax = r;
            ptrace(PTRACE_SETREGS, child, 0, &regs);
        }
        ptrace(PTRACE_CONT, child, 0, 0);
        if (++stops == n_warm + n_timed) {
            cpu[1] = clock_ns(CLOCK_THREAD_CPUTIME_ID);
            cpu[3] = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
        }
    }
}

static void supervise_notif(int listener, int pidfd, enum work w, long long *cpu) {
    struct seccomp_notif req;
    struct seccomp_notif_resp resp;
    struct sockaddr_in asked;
    for (long stops = 0;; stops++) {
        memset(&req, 0, sizeof req); /* the kernel refuses a request that is not zeroed */
        while (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) {
            if (errno == ENOENT) {
                return; /* the workload is gone */
            }
            if (errno != EINTR) {
                die("SECCOMP_IOCTL_NOTIF_RECV");
            }
        }
        if (stops == n_warm) {
            cpu[0] = clock_ns(CLOCK_THREAD_CPUTIME_ID);
            cpu[2] = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
        }
        read_sockaddr(req.pid, req.data.args[1], req.data.args[2], &asked);
        long r = ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id) == 0
                ? redirect(w, pidfd, (int) req.data.args[0], &asked) : RUN;
        resp = (struct seccomp_notif_resp) {.id = req.id, .val = r == RUN ? 0 : r,
                .flags = r == RUN ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0};
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) != 0 && errno != ENOENT) {
            die("SECCOMP_IOCTL_NOTIF_SEND");
        }
        if (stops + 1 == n_warm + n_timed) {
            cpu[1] = clock_ns(CLOCK_THREAD_CPUTIME_ID);
            cpu[3] = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
        }
    }
}

/* One mode, once: the workload's figures, the supervisor's thread and process CPU per timed connect (-1: none). */
static struct result run(int mode, double *supervisor_cpu) {
    enum mech m = mode == 0 ? NONE : mode <= 3 ? PTRACE : mode <= 6 ? NOTIF : SYNC;
    enum work w = mode == 0 ? STOP : (enum work) ((mode - 1) % 3);
    int res[2], handoff[2], ack[2];
    long before_dest = dest.accepted, before_capture = capture.accepted;
    if (pipe(res) != 0 || pipe(handoff) != 0 || pipe(ack) != 0) {
        die("pipe");
    }
    set_accepting(!defer_accepts);
    pid_t child = fork();
    if (child < 0) {
        die("fork");
    }
    if (child == 0) {
        if (m == PTRACE) {
            raise(SIGSTOP); /* until the parent has seized us */
            install_filter(SECCOMP_RET_TRACE, 0);
        } else if (m != NONE) {
            int fd = install_filter(SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER);
            char c;
            if (write(handoff[1], &fd, sizeof fd) != sizeof fd || read(ack[0], &c, 1) != 1) {
                die("listener handoff");
            }
            close(fd);
        }
        workload(res[1]);
    }
    close(res[1]); /* so that a workload that dies unheard of ends the read below */
    close(handoff[1]);
    close(ack[0]);
    long long cpu[4] = {0, 0, 0, 0};
    int pidfd = syscall(SYS_pidfd_open, child, 0);
    if (pidfd < 0) {
        die("pidfd_open");
    }
    if (m == PTRACE) {
        supervise_ptrace(child, pidfd, w, cpu);
    } else if (m != NONE) {
        int fd;
        if (read(handoff[0], &fd, sizeof fd) != sizeof fd) {
            die("listener handoff");
        }
        int listener = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
        if (listener < 0 || (m == SYNC && ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
                SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) != 0) || write(ack[1], "", 1) != 1) {
            die("the notification listener");
        }
        supervise_notif(listener, pidfd, w, cpu);
        close(listener);
    }
    struct result r;
    int status;
    if (read(res[0], &r, sizeof r) != sizeof r) {
        die("the workload failed");
    }
    waitpid(child, &status, 0);
    set_accepting(1);
    close(pidfd);
    close(res[0]);
    close(handoff[0]);
    close(ack[1]);
    long want = n_warm + n_timed, redirected = w == REDIRECT ? want : 0;
    await_accepts(MODES[mode], before_dest, before_capture, want - redirected, redirected);
    supervisor_cpu[0] = m == NONE ? -1 : (cpu[1] - cpu[0]) / 1e3 / n_timed;
    supervisor_cpu[1] = m == NONE ? -1 : (cpu[3] - cpu[2]) / 1e3 / n_timed;
    return r;
}

static int mode_index(const char *name) {
    for (int i = 0; i < N_MODES; i++) {
        if (strcmp(name, MODES[i]) == 0) {
            return i;
        }
    }
    fprintf(stderr, "capturefloor: unknown mode %s\n", name);
    exit(2);
}

int main(int argc, char **argv) {
    int rounds = 5, modes[N_MODES], n_modes = 0, opt;
    const char *alone = NULL;
    while ((opt = getopt(argc, argv, "cdn:w:r:t:")) != -1) {
        int v = optarg && opt != 't' ? atoi(optarg) : 1;
        if (v <= 0 || !strchr("cdnwrt", opt)) {
            fprintf(stderr, "usage: capturefloor [-c] [-d] [-n N] [-w W] [-r ROUNDS] [MODE...]\n"
                    "       capturefloor -t HOST:PORT [-n N] [-w W]\n");
            return 2;
        }
        if (opt == 't') {
            alone = optarg;
            continue;
        }
        if (opt == 'c' || opt == 'd') {
            *(opt == 'c' ? &show_calls : &defer_accepts) = 1;
            continue;
        }
        *(opt == 'n' ? &n_timed : opt == 'w' ? &n_warm : &rounds) = v;
    }
    if (alone != NULL) {
        workload_alone(alone); /* never returns */
    }
    for (int i = optind; i < argc && n_modes < N_MODES; i++) {
        modes[n_modes++] = mode_index(argv[i]);
    }
    for (int i = 0; n_modes == 0 && i < N_MODES; i++) {
        modes[i] = i;
    }
    n_modes = n_modes ? n_modes : N_MODES;
    int backlog = (int) read_number("/proc/sys/net/core/somaxconn", 4096);
    if (defer_accepts && n_warm + n_timed > backlog) {
        fprintf(stderr, "capturefloor: -d: W + N = %d connects must fit the listen backlog (net.core.somaxconn = %d);"
                " try -n %d\n", n_warm + n_timed, backlog, backlog - n_warm);
        return 2;
    }
    listen_on(&dest, &dest_addr);
    listen_on(&capture, &capture_addr);
    double p10[N_MODES][rounds], p50[N_MODES][rounds], sup[N_MODES][rounds], pro[N_MODES][rounds], wl[N_MODES][rounds];
    double add10[N_MODES][rounds], add50[N_MODES][rounds];
    printf("connect() us: p10 median mean p99; CPU per connect (us): workload, supervisor thread and process;"
            " N=%d W=%d\n", n_timed, n_warm);
    for (int round = 0; round < rounds; round++) {
        printf("round %d (load %.2f)\n", round + 1, read_number("/proc/loadavg", -1));
        for (int k = 0; k < n_modes; k++) {
            int m = modes[(k + round) % n_modes];
            double s[2];
            struct result r = run(m, s);
            p10[m][round] = r.p10, p50[m][round] = r.p50, sup[m][round] = s[0], wl[m][round] = r.workload_cpu;
            pro[m][round] = s[1];
            printf("  %-16s %6.1f %6.1f %6.1f %7.1f   %6.1f %6.1f %6.1f\n", MODES[m], r.p10, r.p50, r.mean, r.p99,
                    r.workload_cpu, s[0], s[1]);
            for (int c = 0; show_calls && redirects > 0 && c < N_CALLS; c++) {
                printf("%s %s %.2f%s", c == 0 ? "    us per call:" : ",", CALL_NAMES[c], call_ns[c] / 1e3 / redirects,
                        c == N_CALLS - 1 ? "\n" : "");
                call_ns[c] = 0;
            }
            redirects = 0;
            fflush(stdout);
        }
        for (int k = 0; k < n_modes; k++) {
            int m = modes[k];
            add10[m][round] = p10[m][round] - p10[modes[0]][round];
            add50[m][round] = p50[m][round] - p50[modes[0]][round];
        }
    }
    printf("median over %d rounds: p10 median, added to %s's (per round) p10 median, CPU workload, supervisor"
            " thread and process\n", rounds, MODES[modes[0]]);
    for (int k = 0; k < n_modes; k++) {
        int m = modes[k];
        printf("  %-16s %6.1f %6.1f   %+6.1f %+6.1f   %6.1f %6.1f %6.1f\n", MODES[m], median_of(p10[m], rounds),
                median_of(p50[m], rounds), median_of(add10[m], rounds), median_of(add50[m], rounds),
                median_of(wl[m], rounds), median_of(sup[m], rounds), median_of(pro[m], rounds));
    }
    return 0;
}
