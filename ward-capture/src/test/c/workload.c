/* A test workload: does what its arguments say, reporting each result on stdout.
 *   open PATH        open(PATH, O_RDONLY) -> "open PATH ok" or "open PATH errno=N"
 *   write PATH       open(PATH, O_WRONLY|O_CREAT)
 *   threads N PATH   N threads each open PATH; prints how many were denied
 *   fork PATH        a child opens PATH, the parent waits
 *   exec PATH ARG    execv(PATH, {PATH, ARG})
 *   fdof PATH        open PATH and print the descriptor number: "fd PATH=N" (kept open)
 *   vfork PATH       vfork + execve("/bin/cat", PATH) in the child; prints the child's exit code
 *   uring            io_uring_setup
 *   int80 PATH       mkdir(PATH) through the i386 ABI (int $0x80): "int80 mkdir=R" (a kernel without IA32
 *                    emulation kills the process with SIGSEGV instead); x86_64 only, elsewhere
 *                    "int80 unsupported"
 *   exit N           exit with N
 *   widen PATH       three threads keep opening PATH until one open is refused: one sleeps between opens
 *                    (nanosleep, restarted through restart_syscall when interrupted), one blocks in read(2)
 *                    on a pipe another thread feeds, one spins in user code; prints "ready" once all have
 *                    opened it, then "widen denied=N of 3" (gives up after 60 s)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *g_path;
static int g_denied;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static void *opener(void *arg) {
    (void) arg;
    int fd = open(g_path, O_RDONLY);
    if (fd < 0) {
        pthread_mutex_lock(&g_lock);
        if (errno == EACCES) g_denied++;
        pthread_mutex_unlock(&g_lock);
    } else {
        close(fd);
    }
    return NULL;
}

static volatile int g_ready, g_done, g_refused;
static int g_pipe[2];

/* One open of g_path: 1 when refused with EACCES, 0 otherwise (the first success counts as ready). */
static int try_open(int *opened) {
    int fd = open(g_path, O_RDONLY);
    if (fd >= 0) {
        close(fd);
        if (!*opened) { *opened = 1; __sync_fetch_and_add(&g_ready, 1); }
        return 0;
    }
    return errno == EACCES;
}

static void *sleeper(void *arg) {
    (void) arg;
    int opened = 0;
    struct timespec ts = {0, 20 * 1000 * 1000};
    while (!g_done) {
        if (try_open(&opened)) { __sync_fetch_and_add(&g_refused, 1); return NULL; }
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static void *reader(void *arg) {
    (void) arg;
    int opened = 0;
    char c;
    while (!g_done && read(g_pipe[0], &c, 1) == 1) {
        if (try_open(&opened)) { __sync_fetch_and_add(&g_refused, 1); return NULL; }
    }
    return NULL;
}

static void *spinner(void *arg) {
    (void) arg;
    int opened = 0;
    while (!g_done) {
        if (try_open(&opened)) { __sync_fetch_and_add(&g_refused, 1); return NULL; }
        for (volatile long k = 0; k < 20000000 && !g_done; k++) {
        }
    }
    return NULL;
}

static void widen(const char *path) {
    g_path = path;
    if (pipe(g_pipe) != 0) { printf("pipe errno=%d\n", errno); return; }
    pthread_t t[3];
    pthread_create(&t[0], NULL, sleeper, NULL);
    pthread_create(&t[1], NULL, reader, NULL);
    pthread_create(&t[2], NULL, spinner, NULL);
    int said = 0;
    struct timespec ts = {0, 10 * 1000 * 1000};
    for (int ms = 0; ms < 60000 && g_refused < 3; ms += 10) {
        if (!said && g_ready == 3) { printf("ready\n"); said = 1; }
        if (write(g_pipe[1], "x", 1) != 1) break;
        nanosleep(&ts, NULL);
    }
    g_done = 1;
    close(g_pipe[1]);
    for (int k = 0; k < 3; k++) pthread_join(t[k], NULL);
    printf("widen denied=%d of 3\n", g_refused);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "open") || !strcmp(argv[i], "write")) {
            int w = argv[i][0] == 'w';
            const char *p = argv[++i];
            int fd = open(p, w ? O_WRONLY | O_CREAT : O_RDONLY, 0644);
            if (fd < 0) printf("%s %s errno=%d\n", w ? "write" : "open", p, errno);
            else { printf("%s %s ok\n", w ? "write" : "open", p); close(fd); }
        } else if (!strcmp(argv[i], "threads")) {
            int n = atoi(argv[++i]);
            g_path = argv[++i];
            pthread_t t[64];
            for (int k = 0; k < n && k < 64; k++) pthread_create(&t[k], NULL, opener, NULL);
            for (int k = 0; k < n && k < 64; k++) pthread_join(t[k], NULL);
            printf("threads denied=%d of %d\n", g_denied, n);
        } else if (!strcmp(argv[i], "fork")) {
            const char *p = argv[++i];
            pid_t c = fork();
            if (c == 0) {
                int fd = open(p, O_RDONLY);
                printf("child %d open %s %s\n", getpid(), p, fd < 0 ? "denied" : "ok");
                _exit(fd < 0 ? 3 : 0);
            }
            int st;
            waitpid(c, &st, 0);
            printf("child exit=%d\n", WEXITSTATUS(st));
        } else if (!strcmp(argv[i], "fdof")) {
            const char *p = argv[++i];
            printf("fd %s=%d\n", p, open(p, O_RDONLY));
        } else if (!strcmp(argv[i], "vfork")) {
            char *args[] = {"/bin/cat", argv[++i], NULL};
            pid_t c = vfork();
            if (c == 0) {
                execv("/bin/cat", args);
                _exit(127);
            }
            int st;
            waitpid(c, &st, 0);
            printf("vfork child exit=%d\n", WEXITSTATUS(st));
        } else if (!strcmp(argv[i], "exec")) {
            char *p = argv[++i];
            char *a = argv[++i];
            char *args[] = {p, a, NULL};
            execv(p, args);
            printf("exec %s errno=%d\n", p, errno);
        } else if (!strcmp(argv[i], "uring")) {
            char params[120] = {0};
            long r = syscall(425, 8, params);
            printf("io_uring_setup=%ld errno=%d\n", r, r < 0 ? errno : 0);
        } else if (!strcmp(argv[i], "int80")) {
#if defined(__x86_64__)
            /* i386 arguments are 32 bits: the path must live below 4 GiB */
            char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
            strncpy(low, argv[++i], 4095);
            long r;
            __asm__ volatile("int $0x80" : "=a"(r) : "a"(39), "b"(low), "c"(0755) : "memory");
            printf("int80 mkdir=%ld\n", r);
#else
            ++i;
            printf("int80 unsupported\n");
#endif
        } else if (!strcmp(argv[i], "widen")) {
            widen(argv[++i]);
        } else if (!strcmp(argv[i], "exit")) {
            exit(atoi(argv[++i]));
        }
    }
    return 0;
}
