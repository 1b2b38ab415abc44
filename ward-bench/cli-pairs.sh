#!/usr/bin/env bash
# ward-bench/cli-pairs.sh: how much wall and CPU time (user+sys) does a command line save against another, on a
# machine whose load is not ours? startup.sh gives wall times; on a shared 2-CPU machine the CPU a command burns
# is the steadier figure, and a pair run back to back sees nearly the same load.
#
# Each command line (a shell line, run by bash -c, its output discarded and its exit status ignored) runs once
# untimed, then N times, the lines alternated within each round; /usr/bin/time gives wall, user and sys time
# (10 ms steps). Printed per line: the median wall and CPU time, and the median over rounds of its ratio to the
# line before it when it is the second of a pair (lines 2, 4, ...), so pair a baseline with each change.
#
# Usage: ward-bench/cli-pairs.sh N 'BASELINE LINE' 'LINE' ['BASELINE LINE' 'LINE' ...]
# e.g.   ward-bench/cli-pairs.sh 15 "/path/to/main/ward check ward-check/src/test/resources/seeds" \
#            "./ward check ward-check/src/test/resources/seeds"
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 N 'LINE' ['LINE' ...]" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "$0: needs GNU time at /usr/bin/time" >&2; exit 2; }
n=$1
shift
lines=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 0 "$n"); do
  for i in "${!lines[@]}"; do
    /usr/bin/time -f "%e %U %S" -o "$tmp/t" bash -c "${lines[$i]} >/dev/null 2>&1 || true"
    [ "$round" = 0 ] || cat "$tmp/t" >>"$tmp/$i"
  done
done
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
printf '%s runs each, %s, %s CPUs; load average %s before, %s after\n' "$n" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$(nproc)" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%8s %8s %11s %10s  %s\n' "wall s" "cpu s" "wall ratio" "cpu ratio" "command line"
for i in "${!lines[@]}"; do
  wall=$(awk '{ print $1 }' "$tmp/$i" | median)
  cpu=$(awk '{ printf "%.3f\n", $2 + $3 }' "$tmp/$i" | median)
  if [ $((i % 2)) = 1 ]; then
    rw=$(paste "$tmp/$((i - 1))" "$tmp/$i" | awk '$1 > 0 { printf "%.4f\n", $4 / $1 }' | median)
    rc=$(paste "$tmp/$((i - 1))" "$tmp/$i" | awk '$2 + $3 > 0 { printf "%.4f\n", ($5 + $6) / ($2 + $3) }' | median)
    printf '%8.3f %8.3f %11.2f %10.2f  %s\n' "$wall" "$cpu" "$rw" "$rc" "${lines[$i]}"
  else
    printf '%8.3f %8.3f %11s %10s  %s\n' "$wall" "$cpu" "" "" "${lines[$i]}"
  fi
done
