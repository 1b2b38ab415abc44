#!/usr/bin/env bash
# Ward's captured connect() next to its C floor, in the same rounds (issue 14): ConnectCaptureBenchmark runs the C
# floor's workload loop (src/main/c/capturefloor.c -t) untraced, under Ward's tracer as a stop and redirected, and the
# floor's own untraced, ptrace-stop and ptrace-redirect modes, alternating. Builds the C program and Ward's jars
# (WARD_BENCH_SKIP_BUILD=1: the jars as they are). Usage: ward-bench/capture-vs-floor.sh [-d] [N [ROUNDS]]
#   -d  no thread accepts while connects are timed (N + 500 must fit net.core.somaxconn)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
bin="$here/target/bench"
defer=false
if [ "${1:-}" = "-d" ]; then
    defer=true
    shift
fi
mkdir -p "$bin"
gcc -O2 -Wall -Wextra -pthread -o "$bin/capturefloor" "$here/src/main/c/capturefloor.c" \
    "$here/src/main/c/capturefloor-workload.c"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
if [ "${WARD_BENCH_SKIP_BUILD:-0}" != 1 ]; then
    (cd "$root" && ./mvnw -B -ntp -q -o package -pl ward-bench -am -DskipTests)
fi
echo "kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$root"
"$java" --enable-native-access=ALL-UNNAMED -Dcapture.floor="$bin/capturefloor" -Dcapture.defer="$defer" \
    -cp 'ward-bench/target/classes:ward-bench/target/lib/*' dev.ward.bench.capture.ConnectCaptureBenchmark "$@"
