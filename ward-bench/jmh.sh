#!/usr/bin/env bash
# JMH benchmarks of the policy engine: decisions per second at 10, 1,000 and 10,000 rules, and
# compile time. Usage: ward-bench/jmh.sh [JMH options, e.g. -f 1 -wi 3 -i 5 -prof gc PolicyDecision]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
./mvnw -q -DskipTests -pl ward-bench -am package
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$here/target/classes:$here/target/lib/*" org.openjdk.jmh.Main "$@"
