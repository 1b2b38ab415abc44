#!/usr/bin/env bash
# Mesh data plane benchmark (issue 14): two meshes in one JVM, HTTP/1.1 1 KiB at 1,000 req/s direct and through
# SOCKS5 -> HBONE -> inbound (L4, and L7 with a per-request decision), and through two plain TCP relays and two TLS
# relays (the controls); p50/p99, saturated req/s, one-stream MB/s and the proxies' CPU per GiB. About 8 minutes
# with the defaults.
# Usage: ward-bench/mesh.sh [-Dmesh.seconds=30 -Dmesh.warmup=2 -Dmesh.rounds=3 -Dmesh.jit=5
#        -Dmesh.parts=latency,saturated,bulk -Dmesh.rate=1000 -Dmesh.bulkMiB=1024]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME
./mvnw -q -o -DskipTests -pl ward-bench -am package
exec "$JAVA_HOME/bin/java" -Xmx256m --enable-native-access=ALL-UNNAMED "$@" \
  -cp "$here/target/classes:$here/target/lib/*" dev.ward.bench.mesh.MeshBenchmark
