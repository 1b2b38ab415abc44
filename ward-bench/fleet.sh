#!/usr/bin/env bash
# Fleet benchmark of the relay (issue 16): 10,000 connected agents, RSS, policy push latency, events/s with
# 100 busy agents. Usage: ward-bench/fleet.sh [-Dfleet.agents=N -Dfleet.busy=N -Dfleet.batches=N]
# The relay's JVM flags: WARD_FLEET_RELAY_JVM (default -Xmx512m). About 2 minutes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME
./mvnw -q -DskipTests -pl ward-bench -am package
exec "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow "$@" \
  -cp "$here/target/classes:$here/target/lib/*" dev.ward.bench.relay.FleetBenchmark
