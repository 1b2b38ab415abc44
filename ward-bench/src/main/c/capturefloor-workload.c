/*
 * capturefloor-workload.c: the workload's side of capturefloor (see capturefloor.c) and the listeners.
 *
 * capturefloor -t HOST:PORT [-n N] [-w W] is the workload alone (no fork, no listener, no filter): ward-bench's
 * ConnectCaptureBenchmark runs it untraced and under Ward's tracer, so that Ward's rows and the floor's time the very
 * same loop. W + N connects to HOST:PORT (IPv4), handing over through its standard streams twice: it prints "warm"
 * once the W are done and waits for a byte on stdin; it prints the result line (p10 median mean p99 in us, then its
 * CPU per timed connect) once the N are, waits for a byte or EOF, and exits.
 */
#include "capturefloor.h"

struct listener dest, capture;
struct sockaddr_in dest_addr, capture_addr;
int n_timed = 5000, n_warm = 500;
static int accepting = 1;
static pthread_mutex_t accept_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t accept_allowed = PTHREAD_COND_INITIALIZER;

void die(const char *what) {
    fprintf(stderr, "capturefloor: %s: %s\n", what, strerror(errno));
    exit(1);
}

long long clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b) {
    long long x = *(const long long *) a, y = *(const long long *) b;
    return (x > y) - (x < y);
}

static void *accept_all(void *arg) {
    struct listener *l = arg;
    for (;;) {
        pthread_mutex_lock(&accept_lock);
        while (!accepting) {
            pthread_cond_wait(&accept_allowed, &accept_lock);
        }
        pthread_mutex_unlock(&accept_lock);
        int c = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
        if (c >= 0) {
            atomic_fetch_add(&l->accepted, 1);
            close(c);
        }
    }
    return NULL;
}

void set_accepting(int on) {
    pthread_mutex_lock(&accept_lock);
    accepting = on;
    pthread_cond_broadcast(&accept_allowed);
    pthread_mutex_unlock(&accept_lock);
}

void listen_on(struct listener *l, struct sockaddr_in *a) {
    l->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    socklen_t len = sizeof *a;
    *a = (struct sockaddr_in) {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (l->fd < 0 || bind(l->fd, (struct sockaddr *) a, len) != 0 || listen(l->fd, 65535) != 0
            || getsockname(l->fd, (struct sockaddr *) a, &len) != 0) {
        die("listener");
    }
    pthread_t t;
    pthread_create(&t, NULL, accept_all, l);
}

void read_sockaddr(pid_t pid, unsigned long long address, unsigned long long length, struct sockaddr_in *a) {
    memset(a, 0, sizeof *a);
    struct iovec local = {a, length < sizeof *a ? length : sizeof *a};
    struct iovec remote = {(void *) address, local.iov_len};
    if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != (ssize_t) local.iov_len) {
        die("process_vm_readv");
    }
}

void await_accepts(const char *mode, long before_dest, long before_capture, long want_dest, long want_capture) {
    for (int i = 0; i < 200 && (dest.accepted - before_dest < want_dest
            || capture.accepted - before_capture < want_capture); i++) {
        usleep(5000);
    }
    if (dest.accepted - before_dest != want_dest || capture.accepted - before_capture != want_capture) {
        fprintf(stderr, "capturefloor: %s: %ld accepted on A, %ld on B; expected %ld and %ld\n", mode,
                dest.accepted - before_dest, capture.accepted - before_capture, want_dest, want_capture);
        exit(1);
    }
}

/* The workload's hand-over in -t mode: its line on stdout, then a byte (or EOF) on stdin. */
static void hand_over(const char *line) {
    char c;
    fputs(line, stdout);
    fflush(stdout);
    if (read(0, &c, 1) < 0) {
        die("read the hand-over byte");
    }
}

void workload_alone(const char *host_port) {
    char host[64], *end = NULL;
    const char *colon = strrchr(host_port, ':');
    size_t n = colon == NULL ? 0 : (size_t) (colon - host_port);
    long port = colon == NULL ? 0 : strtol(colon + 1, &end, 10);
    dest_addr = (struct sockaddr_in) {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
    if (n == 0 || n >= sizeof host || port < 1 || port > 65535 || *end != 0
            || (memcpy(host, host_port, n), host[n] = 0, inet_pton(AF_INET, host, &dest_addr.sin_addr)) != 1) {
        fprintf(stderr, "capturefloor: -t %s: expected an IPv4 address and a port, such as 127.0.0.1:8080\n",
                host_port);
        exit(2);
    }
    workload(-1);
}

void workload(int out) {
    long long *d = malloc(sizeof *d * n_timed), cpu = 0;
    struct linger rst = {1, 0};
    for (int i = 0; i < n_warm + n_timed; i++) {
        if (i == n_warm) {
            if (out < 0) {
                hand_over("warm\n");
            }
            cpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
        }
        int s = socket(AF_INET, SOCK_STREAM, 0);
        long long t = clock_ns(CLOCK_MONOTONIC);
        int r = connect(s, (struct sockaddr *) &dest_addr, sizeof dest_addr);
        t = clock_ns(CLOCK_MONOTONIC) - t;
        if (r != 0) {
            die("workload connect");
        }
        setsockopt(s, SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
        close(s);
        if (i >= n_warm) {
            d[i - n_warm] = t;
        }
    }
    cpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu;
    qsort(d, n_timed, sizeof *d, cmp_ll);
    double sum = 0;
    for (int i = 0; i < n_timed; i++) {
        sum += d[i];
    }
    struct result r = {d[n_timed / 10] / 1e3, d[n_timed / 2] / 1e3, sum / n_timed / 1e3, d[n_timed * 99 / 100] / 1e3,
            cpu / 1e3 / n_timed};
    if (out < 0) {
        char line[128];
        snprintf(line, sizeof line, "%.1f %.1f %.1f %.1f %.1f\n", r.p10, r.p50, r.mean, r.p99, r.workload_cpu);
        hand_over(line);
    } else if (write(out, &r, sizeof r) != sizeof r) {
        die("write result");
    }
    _exit(0);
}

int install_filter(unsigned action, unsigned flags) {
    struct sock_filter prog[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_connect, 2, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
        BPF_STMT(BPF_RET | BPF_K, action),
    };
    struct sock_fprog fprog = {.len = sizeof prog / sizeof prog[0], .filter = prog};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        die("prctl(PR_SET_NO_NEW_PRIVS)");
    }
    int fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
    if (fd < 0) {
        die("seccomp(SECCOMP_SET_MODE_FILTER)");
    }
    return fd;
}

double median_of(double *v, int n) {
    double s[n];
    memcpy(s, v, sizeof s);
    for (int i = 1; i < n; i++) { /* insertion sort: a handful of rounds */
        for (int j = i; j > 0 && s[j - 1] > s[j]; j--) {
            double t = s[j]; s[j] = s[j - 1]; s[j - 1] = t;
        }
    }
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

double read_number(const char *path, double otherwise) {
    FILE *f = fopen(path, "r");
    double v = otherwise;
    if (f != NULL) {
        if (fscanf(f, "%lf", &v) != 1) {
            v = otherwise;
        }
        fclose(f);
    }
    return v;
}
