/*
 * capturefloor.h: what capturefloor.c (the supervisors, the modes, main) and capturefloor-workload.c (the workload,
 * the listeners, the child's filter) share. See capturefloor.c for the question and the modes.
 */
#ifndef CAPTUREFLOOR_H
#define CAPTUREFLOOR_H
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <arpa/inet.h>
#include <unistd.h>


struct result { double p10, p50, mean, p99, workload_cpu; };
struct listener { int fd; atomic_long accepted; };

/* The destination the workload connects to (A) and the capture port (B), each with a thread accepting. */
extern struct listener dest, capture;
extern struct sockaddr_in dest_addr, capture_addr;
/* Timed connects per run, and untimed ones before them. */
extern int n_timed, n_warm;

void die(const char *what);
long long clock_ns(clockid_t clock);
void listen_on(struct listener *l, struct sockaddr_in *a);
/* Whether the listeners' threads accept (-d: only between runs). An accept may already be under way. */
void set_accepting(int on);
/* The workload: W + N timed connects to A; the result goes to fd out (-1: -t's hand-over). Never returns. */
void workload(int out);
/* -t HOST:PORT: the workload alone, connecting to HOST:PORT. Never returns. */
void workload_alone(const char *host_port);
/* process_vm_readv of the sockaddr the stopped workload passed (at most a sockaddr_in), or the program dies. */
void read_sockaddr(pid_t pid, unsigned long long address, unsigned long long length, struct sockaddr_in *a);
/* Waits up to a second for a run's connections to reach the listeners (before_*: their counts before it); dies if
 * the counts then differ from want_*. */
void await_accepts(const char *mode, long before_dest, long before_capture, long want_dest, long want_capture);
/* Child side: connect -> action, the rest allowed, a foreign arch refused. Returns the listener fd, or 0. */
int install_filter(unsigned action, unsigned flags);
double median_of(double *v, int n);
/* The first number in a file (/proc/loadavg, a sysctl), or otherwise. */
double read_number(const char *path, double otherwise);

#endif
