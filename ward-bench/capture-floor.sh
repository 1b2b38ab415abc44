#!/usr/bin/env bash
# The floor of a captured connect() (issue 14): src/main/c/capturefloor.c, untraced / a ptrace seccomp stop / a
# seccomp user notification with and without SYNC_WAKE_UP, each as a bare stop, with the redirect's calls and with
# the whole redirect to a capture port, side by side in rounds. Run unpinned, then with the whole program (workload,
# supervisor, listeners) pinned to one CPU, as a 0.25 or 0.5 vCPU Fargate task runs. Under a minute with the defaults.
# Usage: ward-bench/capture-floor.sh [-c] [-d] [-n N] [-w W] [-r ROUNDS] [MODE...]   (WARD_BENCH_CPU: the pinned CPU, 0)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$here/target/bench"
mkdir -p "$bin"
gcc -O2 -Wall -Wextra -pthread -o "$bin/capturefloor" "$here/src/main/c/capturefloor.c" \
    "$here/src/main/c/capturefloor-workload.c"
echo "kernel $(uname -r), $(nproc) CPUs; unpinned, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin/capturefloor" "$@"
echo "pinned to CPU ${WARD_BENCH_CPU:-0}, load $(cut -d' ' -f1-3 /proc/loadavg)"
taskset -c "${WARD_BENCH_CPU:-0}" "$bin/capturefloor" "$@"
