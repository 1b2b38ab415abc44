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
 *                    emulation kills the process with SIGSEGV instead)
 *   exit N           exit with N
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
            /* i386 arguments are 32 bits: the path must live below 4 GiB */
            char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
            strncpy(low, argv[++i], 4095);
            long r;
            __asm__ volatile("int $0x80" : "=a"(r) : "a"(39), "b"(low), "c"(0755) : "memory");
            printf("int80 mkdir=%ld\n", r);
        } else if (!strcmp(argv[i], "exit")) {
            exit(atoi(argv[++i]));
        }
    }
    return 0;
}
