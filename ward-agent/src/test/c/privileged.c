/* Privileged operations for capabilities and syscalls rules.
 *   chown PATH     chown(PATH, 0, 0)
 *   rawsocket      socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)
 *   unlink PATH    unlink(PATH)
 *   tcpsocket      socket(AF_INET, SOCK_STREAM, 0)
 *   ptrace         ptrace(PTRACE_ATTACH) of a child of its own, which then exits
 * Each prints "OP ok" or "OP errno=N". */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 1; i < argc; i++) {
        int r;
        const char *op = argv[i];
        if (!strcmp(op, "chown")) r = chown(argv[++i], 0, 0);
        else if (!strcmp(op, "rawsocket")) r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        else if (!strcmp(op, "unlink")) r = unlink(argv[++i]);
        else if (!strcmp(op, "tcpsocket")) r = socket(AF_INET, SOCK_STREAM, 0);
        else if (!strcmp(op, "ptrace")) {
            pid_t child = fork();
            if (child == 0) {
                pause();
                _exit(0);
            }
            r = (int) ptrace(PTRACE_ATTACH, child, NULL, NULL);
            int saved = errno;
            kill(child, SIGKILL);
            waitpid(child, NULL, 0);
            errno = saved;
        }
        else continue;
        if (r < 0) printf("%s errno=%d\n", op, errno);
        else printf("%s ok\n", op);
    }
    return 0;
}
