/* Test workload for init duties.
 *   sigtrap            print "ready PID", then report each forwarded signal; exit 0 on TERM
 *   orphans            leave an orphan (double fork) that exits; later count zombie children of our parent
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t last;

static void on_signal(int sig) { last = sig; }

static int zombies_of(pid_t parent) {
    int count = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        if (fgets(buf, sizeof buf, f)) {
            char *close = strrchr(buf, ')');
            char state;
            int ppid;
            if (close && sscanf(close + 2, "%c %d", &state, &ppid) == 2 && ppid == parent && state == 'Z') count++;
        }
        fclose(f);
    }
    if (d) closedir(d);
    return count;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "orphans")) {
        for (int i = 0; i < 5; i++) {
            pid_t c = fork();
            if (c == 0) {
                if (fork() == 0) { usleep(100000); _exit(0); } /* the orphan */
                _exit(0);
            }
            waitpid(c, NULL, 0);
        }
        usleep(600000);
        printf("zombies=%d\n", zombies_of(getppid()));
        return 0;
    }
    int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGWINCH};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) signal(sigs[i], on_signal);
    printf("ready %d\n", getpid());
    for (int i = 0; i < 3000; i++) {
        usleep(10000);
        if (last) {
            int s = last;
            last = 0;
            printf("got %d\n", s);
            if (s == SIGTERM) return 0;
        }
    }
    return 9;
}
