#!/usr/bin/env bash
# ward-bench/nginx-threads.sh: where a request's time goes under a tracer, thread by thread. Not a test.
#
# Question: nginx (as nginx.sh runs it: 1 worker, no open_file_cache, so one trapped open per request) under
# ref1 (the C reference tracer, one stop per open, its path read) and under Ward with the 100 file rules (f100):
# how much CPU does each thread spend per request (the nginx worker, the tracer thread, each other thread of
# the agent, wrk), how long does each wait on a run queue per request, and how many context switches,
# migrations, wake-ups and IPIs does a request cost? CPU time and counts blur less under a shared machine's
# load than req/s does. Variants alternate inside each round.
#
# Per variant: nginx under the tracer, a wrk warm-up, then a measured wrk run while /proc/PID/task/TID/schedstat
# and /status are read before and after (run ns, run-queue wait ns, voluntary and involuntary switches) and
# `perf stat` counts the tracer thread's and the worker's events (when perf is installed).
#
# Usage: ward-bench/nginx-threads.sh   (run ward-bench/nginx.sh once first: it writes the nginx configuration)
#   WARD_BENCH_ROUNDS=3 WARD_BENCH_DURATION=5 WARD_BENCH_WARMUP=2 WARD_BENCH_VARIANTS="ref1 f100"
#   WARD_BENCH_WARD=/path/to/ward (another build's launcher, e.g. a copy of target/bench/dist, to pair builds)
#   WARD_BENCH_PIN=1: the worker and the tracer thread on CPU 1, wrk on CPU 0 (after the warm-up)
#   variants f100-follow and f100-off: f100 with WARD_TRACER_AFFINITY=follow or off (the tracer follows
#   its busiest tracee's CPU, or not)
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

rounds=${WARD_BENCH_ROUNDS:-3}
duration=${WARD_BENCH_DURATION:-5}
variants=(${WARD_BENCH_VARIANTS:-ref1 f100})
work="$bin/nginx"
[ -f "$work/nginx.conf" ] || die "no $work/nginx.conf: run ward-bench/nginx.sh once first"
[ -x "$bin/reftracer" ] || build_c
agent=${WARD_BENCH_WARD:-$bin/dist/ward}
[ -x "$agent" ] || die "no Ward launcher at $agent: run ward-bench/nginx.sh once first, or set WARD_BENCH_WARD"

# One thread a line: "PID TID COMM RUN_NS WAIT_NS VOLUNTARY INVOLUNTARY", for every thread of the given pids.
threads() {
  local p t run wait
  for p in "$@"; do
    for t in /proc/"$p"/task/*; do
      read -r run wait _ <"$t/schedstat" 2>/dev/null || continue
      printf '%s %s %s %s %s %s\n' "$p" "${t##*/}" "$(tr ' ' _ <"$t/comm")" "$run" "$wait" \
        "$(awk '/^(non)?voluntary_ctxt/ { printf "%s ", $2 }' "$t/status")"
    done
  done
}

# Prints, per thread that ran at least 50 ns per request: CPU, run-queue wait, switches per request.
per_request() {
  awk -v n="$1" 'NR == FNR { run[$2] = $4; wait[$2] = $5; vcs[$2] = $6; nvcs[$2] = $7; next }
    ($2 in run) && ($4 - run[$2]) / n > 50 {
      printf "    %-16s cpu %7.0f ns  run-queue wait %7.0f ns  switches %.3f + %.3f involuntary\n", $3,
        ($4 - run[$2]) / n, ($5 - wait[$2]) / n, ($6 - vcs[$2]) / n, ($7 - nvcs[$2]) / n }' "$2" "$3"
}

once() {
  local v=$1 port conf top master worker tracer ttid out req wpin=() perfpid=""
  port=$(( 20000 + RANDOM % 20000 ))
  while ss -Htan "sport = :$port" 2>/dev/null | grep -q .; do port=$(( 20000 + RANDOM % 20000 )); done
  conf="$work/threads-$v.conf"
  sed "s/listen 127.0.0.1:[0-9]*/listen 127.0.0.1:$port/" "$work/nginx.conf" >"$conf"
  local ng=(nginx -p "$work" -c "$conf" -e "$work/error.log" -g 'daemon off;')
  case $v in
    native) cmd=("${ng[@]}") ;;
    ref1) cmd=("$bin/reftracer" --paths "${ng[@]}") ;;
    f100) cmd=("$agent" run --container-name ward-bench --policy "$policy" -o "$work/threads.jsonl" -- "${ng[@]}") ;;
    f100-follow|f100-off) cmd=(env WARD_TRACER_AFFINITY="${v#f100-}" "$agent" run --container-name ward-bench
                               --policy "$policy" -o "$work/threads.jsonl" -- "${ng[@]}") ;;
    *) die "unknown variant '$v' (native, ref1, f100, f100-follow, f100-off)" ;;
  esac
  rm -f "$work/nginx.pid"
  "${cmd[@]}" >"$logs/threads-$v.out" 2>&1 &
  top=$!
  for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
  wrk -t1 -c32 -d"${WARD_BENCH_WARMUP:-2}s" "http://127.0.0.1:$port/index.html" >/dev/null
  master=$(cat "$work/nginx.pid")
  worker=$(pgrep -P "$master" | head -1)
  tracer=$(ps -o ppid= -p "$master" | tr -d ' ')
  ttid=$(grep -l -e ward-tracer -e reftracer /proc/"$tracer"/task/*/comm 2>/dev/null | head -1 | cut -d/ -f5 || true)
  ttid=${ttid:-$tracer}
  if [ -n "${WARD_BENCH_PIN:-}" ]; then
    taskset -p -c 1 "$worker" >/dev/null; taskset -p -c 1 "$ttid" >/dev/null; wpin=(taskset -c 0)
  fi
  threads "$tracer" "$master" "$worker" >"$logs/threads-before"
  if command -v perf >/dev/null; then
    perf stat -x, -o "$logs/threads-perf-$v.csv" --per-thread -t "$ttid,$worker" -e \
      task-clock,context-switches,cpu-migrations,ipi:ipi_send_cpu,sched:sched_wakeup -- sleep "$duration" 2>/dev/null &
    perfpid=$!
  fi
  out=$("${wpin[@]}" bash -c "time wrk -t1 -c32 -d${duration}s http://127.0.0.1:$port/index.html" 2>&1)
  threads "$tracer" "$master" "$worker" >"$logs/threads-after"
  [ -z "$perfpid" ] || wait "$perfpid" || true
  kill -TERM "$top" 2>/dev/null; kill -TERM "$master" 2>/dev/null || true
  wait "$top" || true
  req=$(awk '/requests in/ { print $1 }' <<<"$out")
  [ -n "$req" ] && [ "$req" -gt 0 ] || die "wrk made no request under $v (see $logs/threads-$v.out)"
  printf '  %s: %s req/s, %s requests, load %s; wrk cpu %s ns per request\n' "$v" \
    "$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")" "$req" "$(cut -d' ' -f1 /proc/loadavg)" \
    "$(awk -v n="$req" '/^(user|sys)/ { split($2, a, "m"); sub(/s$/, "", a[2]); t += a[1] * 60 + a[2] }
      END { printf "%.0f", t * 1e9 / n }' <<<"$out")"
  per_request "$req" "$logs/threads-before" "$logs/threads-after"
  # With WARD_DEBUG_STOPS set, the agent's last words say where its tracer thread ran (CpuFollower).
  grep -h -o 'tracer CPU: .*' "$logs/threads-$v.out" 2>/dev/null | sed 's/^/    /' || true
  if [ -n "$perfpid" ]; then
    awk -F, -v n="$req" '$0 !~ /^#/ && NF > 3 && $2 ~ /^[0-9.]+$/ { e = $4; sub(/.*:/, "", e)
      v = $2 / n; if (e == "task-clock") { e = "task-clock-ns"; v *= 1e6 }; c[$1] = c[$1] sprintf(" %s %.3f", e, v) } END { for (t in c) printf "    per request, %s:%s\n", t, c[t] }' \
      "$logs/threads-perf-$v.csv"
  fi
}

say "nginx-threads: ${variants[*]}, $rounds rounds of ${duration}s, Ward: $agent${WARD_BENCH_PIN:+, pinned}"
for r in $(seq 1 "$rounds"); do
  echo "round $r"
  for v in "${variants[@]}"; do once "$v"; done
done
