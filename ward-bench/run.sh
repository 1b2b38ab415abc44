#!/usr/bin/env bash
# ward-bench/run.sh: the tracer-overhead benchmark. Not a test: nothing here asserts, it measures.
#
# Questions it answers:
#   1. What does `ward run` add per iteration of a trapped open+close loop, of an untrapped getpid
#      loop and of a fork+exec loop, next to native, to the seccomp filter alone, to
#      `strace -f --seccomp-bpf` on the same syscalls and to a minimal C tracer (the floor)?
#      With no policy, and with 100 file rules that do not match (the cost of deciding).
#   2. Does that hold pinned to one CPU (tracer and tracee share it, as on a 0.25-vCPU Fargate task)
#      as well as unpinned?
#   3. How long from launching `ward run -- W` to W's main()? How much memory does the agent hold?
#
# Scenarios and default sizes (loops.c): openclose 200000, getpid 5000000, forkexec 2000 iterations,
# each after N/10 untimed warm-up iterations inside the same process; every (scenario, tracer) pair
# is also run once at N/10 before timing starts; R=5 rounds, tracers interleaved within a round,
# median reported. Launch: 10 runs per tracer; RSS: openclose 100000 under the agent.
#
# Usage: ward-bench/run.sh            (knobs: see usage() or ward-bench/README.md)
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

usage() {
  cat <<'EOF'
usage: ward-bench/run.sh
environment:
  WARD_BENCH_REPEATS=5          rounds per (mode, scenario, tracer); the median is reported
  WARD_BENCH_SCALE=1            multiplies every iteration count below (0.05 for a quick look)
  WARD_BENCH_OPENCLOSE_N=200000 WARD_BENCH_GETPID_N=5000000 WARD_BENCH_FORKEXEC_N=2000
  WARD_BENCH_SCENARIOS="openclose getpid forkexec"
  WARD_BENCH_TRACERS="native allow-all filter strace reftracer ward ward-100rules"
  WARD_BENCH_MODES="unpinned pinned"   WARD_BENCH_CPU=0 (the CPU for the pinned mode)
  WARD_BENCH_LAUNCH_REPEATS=10  WARD_BENCH_RSS_N=100000
  WARD_BENCH_JSON=ward-bench/target/results.json
  WARD_BENCH_SKIP_BUILD=1       do not build Ward (use what ward-cli/target/ward holds)
  WARD_BENCH_LIVE=1             run ./ward itself, not the copy made at start (see lib.sh)
  WARD_JAVA_OPTS                extra JVM flags for the agent, passed on by the ward launcher
EOF
}
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

repeats=${WARD_BENCH_REPEATS:-5}
scale=${WARD_BENCH_SCALE:-1}
scaled() { awk -v n="$1" -v s="$scale" 'BEGIN { v = int(n * s); print (v < 1 ? 1 : v) }'; }
declare -A size=(
  [openclose]=$(scaled "${WARD_BENCH_OPENCLOSE_N:-200000}")
  [getpid]=$(scaled "${WARD_BENCH_GETPID_N:-5000000}")
  [forkexec]=$(scaled "${WARD_BENCH_FORKEXEC_N:-2000}")
)
scenarios=(${WARD_BENCH_SCENARIOS:-openclose getpid forkexec})
tracers=(${WARD_BENCH_TRACERS:-native allow-all filter strace reftracer ward ward-100rules})
modes=(${WARD_BENCH_MODES:-unpinned pinned})
launch_repeats=${WARD_BENCH_LAUNCH_REPEATS:-10}
rss_n=$(scaled "${WARD_BENCH_RSS_N:-100000}")
json_out=${WARD_BENCH_JSON:-$bench/target/results.json}

# --- main ------------------------------------------------------------------------------------------

# A private mount namespace, so that the bundle can be mounted at /ward for this run only.
if [ "$(id -u)" = 0 ] && [ -z "${WARD_BENCH_PRIVATE_MOUNTS:-}" ] && command -v unshare >/dev/null; then
  WARD_BENCH_PRIVATE_MOUNTS=1 exec unshare -m --propagation private "$0" "$@"
fi

build_c
write_policy
strace_list
ward_ok=1
if has ward "${tracers[@]}" || has ward-100rules "${tracers[@]}"; then
  build_ward || ward_ok=0
  if [ "$ward_ok" = 0 ]; then
    kept=(); for t in "${tracers[@]}"; do case $t in ward*) ;; *) kept+=("$t") ;; esac; done; tracers=("${kept[@]}")
  fi
fi
bundle_ok=0
if [ "$ward_ok" = 1 ] && [ -z "${WARD_BENCH_NO_BUNDLE:-}" ]; then
  build_bundle && bundle_ok=1
fi
aot_cache=false; [ -f "$(dirname "$ward")/ward-cli/target/ward/ward.aot" ] && aot_cache=true
: >"$logs/failures.txt"

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A runs
for mode in "${modes[@]}"; do
  for scenario in "${scenarios[@]}"; do
    n=${size[$scenario]}
    for tracer in "${tracers[@]}"; do
      say "[$mode] $scenario warm-up under $tracer"
      measure "$mode" "$tracer" "$scenario" $(( n / 10 > 0 ? n / 10 : 1 )) >/dev/null
    done
    for r in $(seq 1 "$repeats"); do
      for tracer in "${tracers[@]}"; do
        v=$(measure "$mode" "$tracer" "$scenario" "$n")
        runs[$mode/$scenario/$tracer]+="$v "
        say "[$mode] $scenario round $r/$repeats $tracer: $v ns/op"
      done
    done
  done
done

declare -A launch total
launch_tracers=(native reftracer)
[ "$ward_ok" = 1 ] && launch_tracers+=(ward ward-100rules)
[ "$bundle_ok" = 1 ] && launch_tracers+=(ward-bundle)
rss_tracers=(ward ward-100rules); [ "$bundle_ok" = 1 ] && rss_tracers+=(ward-bundle)
for mode in "${modes[@]}"; do
  for tracer in "${launch_tracers[@]}"; do
    launch_once "$mode" "$tracer" >/dev/null   # warm the page cache
    for r in $(seq 1 "$launch_repeats"); do
      lt=$(launch_once "$mode" "$tracer"); read -r l t <<<"$lt"
      launch[$mode/$tracer]+="$l "; total[$mode/$tracer]+="$t "
    done
    say "[$mode] launch under $tracer: ${launch[$mode/$tracer]}ms"
  done
done

declare -A rss
if [ "$ward_ok" = 1 ]; then
  for tracer in "${rss_tracers[@]}"; do
    rss[$tracer]=$(rss_once "$tracer" "$rss_n")
    say "RSS under $tracer (VmHWM RssAnon RssFile time-maxrss, KiB): ${rss[$tracer]}"
  done
fi
agent_cmdline=$(cat "$logs/agent-cmdline.txt" 2>/dev/null || true)

# --- report ----------------------------------------------------------------------------------------

med() { median ${runs[$1]}; }
extra() { calc %.2f "$(med "$1/$2") - $(med "$1/native")"; }
ratio() {   # extra time of tracer $2 over extra time of tracer $3, in mode/scenario $1
  local a b; a=$(extra "$1" "$2"); b=$(extra "$1" "$3")
  awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "null" }'
}
has_t() { has "$1" "${tracers[@]}"; }

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
kernel=$(uname -r)
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
ncpu=$(nproc)
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)

{
  printf '\nWard tracer overhead, %s, kernel %s, %s x %s\n' "$now" "$kernel" "$ncpu" "$cpu_model"
  printf 'N: openclose %s, getpid %s, forkexec %s; median of %s rounds; pinned = taskset -c %s\n' \
    "${size[openclose]}" "${size[getpid]}" "${size[forkexec]}" "$repeats" "$cpu"
  printf 'load average (1, 5, 15 min) at the start: %s, at the end: %s\n' "$load_start" "$load_end"
  [ "${#strace_dropped[@]}" -gt 0 ] && printf 'strace does not know: %s (left out of its list)\n' "${strace_dropped[*]}"
  printf 'agent: %s%s\n' "${agent_cmdline:-launcher flags${WARD_JAVA_OPTS:+ + $WARD_JAVA_OPTS}}" "$([ "$aot_cache" = true ] && echo ' (AOT cache present)')"
  for mode in "${modes[@]}"; do
    printf '\n%-9s %-10s %-14s %12s %12s %8s %12s %9s %9s %8s\n' "$mode" scenario tracer "ns/op" "min" spread "extra ns" "extra %" "÷strace" "÷floor"
    for scenario in "${scenarios[@]}"; do
      for tracer in "${tracers[@]}"; do
        key=$mode/$scenario/$tracer
        m=$(med "$key")
        spread=$(calc %.1f "($(maximum ${runs[$key]}) - $(minimum ${runs[$key]})) * 100 / $m")
        if [ "$tracer" = native ] || ! has_t native; then
          printf '%-9s %-10s %-14s %12.1f %12.1f %7s%% %12s %9s %9s %8s\n' "" "$scenario" "$tracer" "$m" "$(minimum ${runs[$key]})" "$spread" - - - -
          continue
        fi
        ex=$(extra "$mode/$scenario" "$tracer")
        pct=$(calc %.1f "$ex * 100 / $(med "$mode/$scenario/native")")
        vs_strace=-; vs_floor=-
        case $tracer in ward*)
          has_t strace && vs_strace=$(ratio "$mode/$scenario" "$tracer" strace)
          has_t reftracer && vs_floor=$(ratio "$mode/$scenario" "$tracer" reftracer) ;;
        esac
        printf '%-9s %-10s %-14s %12.1f %12.1f %7s%% %12.1f %8s%% %9s %8s\n' "" "$scenario" "$tracer" "$m" "$(minimum ${runs[$key]})" "$spread" "$ex" "$pct" "$vs_strace" "$vs_floor"
      done
    done
  done
  printf '\nlaunch to workload main() (ms, median of %s; min-max) and whole run (ms)\n' "$launch_repeats"
  for mode in "${modes[@]}"; do
    for tracer in "${launch_tracers[@]}"; do
      k=$mode/$tracer
      printf '  %-9s %-14s %8.1f  (%s-%s)   whole run %8.1f\n' "$mode" "$tracer" "$(median ${launch[$k]})" \
        "$(minimum ${launch[$k]})" "$(maximum ${launch[$k]})" "$(median ${total[$k]})"
    done
  done
  if [ "$ward_ok" = 1 ]; then
    printf '\nagent memory while openclose %s runs (MiB): VmHWM, RssAnon, RssFile at the last sample; time(1) max RSS\n' "$rss_n"
    for tracer in "${rss_tracers[@]}"; do
      read -r h a f t <<<"${rss[$tracer]}"
      printf '  %-14s VmHWM %6.1f   anon %6.1f   file %6.1f   time-maxrss %6.1f\n' "$tracer" \
        "$(calc %.1f "$h/1024")" "$(calc %.1f "$a/1024")" "$(calc %.1f "$f/1024")" "$(calc %.1f "$t/1024")"
    done
  fi
} | tee "$bin/table.txt"

# Targets from issue 2, printed last so they are the first thing one reads on a terminal.
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { if (v == "null" || v == "") print "n/a"; else if (op == "le" ? v <= t : v < t) print "met"; else print "NOT met" }'; }
{
  printf '\ntargets\n'
  for mode in "${modes[@]}"; do
    if [ "$ward_ok" = 1 ] && has_t strace && has openclose "${scenarios[@]}"; then
      r=$(ratio "$mode/openclose" ward strace)
      printf '  %-9s openclose: Ward extra / strace extra = %s (<= 0.5: %s)\n' "$mode" "$r" "$(verdict "$r" 0.5 le)"
    fi
    if [ "$ward_ok" = 1 ] && has getpid "${scenarios[@]}"; then
      p=$(calc %.1f "$(extra "$mode/getpid" ward) * 100 / $(med "$mode/getpid/native")")
      f=-; has_t filter && f=$(calc %.1f "$(extra "$mode/getpid" filter) * 100 / $(med "$mode/getpid/native")")
      a=-; has_t allow-all && a=$(calc %.1f "$(extra "$mode/getpid" allow-all) * 100 / $(med "$mode/getpid/native")")
      printf '  %-9s getpid: Ward +%s%% over native (<= 2%%: %s); Ward'"'"'s filter alone: +%s%%; any filter (allow-all): +%s%%\n' \
        "$mode" "$p" "$(verdict "$p" 2 le)" "$f" "$a"
    fi
    if [ "$ward_ok" = 1 ]; then
      for tracer in ward ward-bundle; do
        has "$tracer" "${launch_tracers[@]}" || continue
        l=$(median ${launch[$mode/$tracer]})
        printf '  %-9s launch to exec, %s: %s ms (< 100 ms: %s)\n' "$mode" "$tracer" "$l" "$(verdict "$l" 100 lt)"
      done
    fi
  done
  if [ "$ward_ok" = 1 ]; then
    for tracer in "${rss_tracers[@]}"; do
      h=$(calc %.1f "${rss[$tracer]%% *}/1024")
      printf '  %-9s agent RSS (VmHWM) %s: %s MiB (< 40 MiB: %s)\n' "" "$tracer" "$h" "$(verdict "$h" 40 lt)"
    done
  fi
  failures=$(wc -l <"$logs/failures.txt")
  if [ "$failures" -gt 0 ]; then
    printf '\n  %s run(s) failed and were retried: see %s\n' "$failures" "$logs/failures.txt"
  fi
} | tee -a "$bin/table.txt"

# --- results.json ------------------------------------------------------------------------------------

jarr() { local s; s=$(printf '%s,' $1); printf '[%s]' "${s%,}"; }
jstr() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
{
  printf '{\n  "date": %s, "kernel": %s, "cpu": %s, "cpus": %s,\n' "$(jstr "$now")" "$(jstr "$kernel")" "$(jstr "$cpu_model")" "$ncpu"
  printf '  "load_average_start": %s, "load_average_end": %s,\n' "$(jstr "$load_start")" "$(jstr "$load_end")"
  printf '  "config": {"repeats": %s, "openclose_n": %s, "getpid_n": %s, "forkexec_n": %s, "pinned_cpu": %s,' \
    "$repeats" "${size[openclose]}" "${size[getpid]}" "${size[forkexec]}" "$cpu"
  printf ' "ward_java_opts": %s, "agent_command": %s, "aot_cache": %s, "strace_syscalls": %s, "ward_built": %s},\n' \
    "$(jstr "${WARD_JAVA_OPTS:-}")" "$(jstr "$agent_cmdline")" "$aot_cache" "$(jstr "$strace_syscalls")" "$([ "$ward_ok" = 1 ] && echo true || echo false)"
  printf '  "overhead_ns_per_op": {'
  sep_m=""
  for mode in "${modes[@]}"; do
    printf '%s\n    "%s": {' "$sep_m" "$mode"; sep_m=","; sep_s=""
    for scenario in "${scenarios[@]}"; do
      printf '%s\n      "%s": {' "$sep_s" "$scenario"; sep_s=","; sep_t=""
      for tracer in "${tracers[@]}"; do
        key=$mode/$scenario/$tracer
        printf '%s\n        "%s": {"median": %s, "min": %s, "runs": %s' "$sep_t" "$tracer" "$(med "$key")" \
          "$(minimum ${runs[$key]})" "$(jarr "${runs[$key]}")"; sep_t=","
        if [ "$tracer" != native ] && has_t native; then
          printf ', "extra": %s' "$(extra "$mode/$scenario" "$tracer")"
          case $tracer in ward*)
            has_t strace && printf ', "extra_over_strace_extra": %s' "$(ratio "$mode/$scenario" "$tracer" strace)"
            has_t reftracer && printf ', "extra_over_floor_extra": %s' "$(ratio "$mode/$scenario" "$tracer" reftracer)" ;;
          esac
        fi
        printf '}'
      done
      printf '\n      }'
    done
    printf '\n    }'
  done
  printf '\n  },\n  "launch_to_exec_ms": {'
  sep_m=""
  for mode in "${modes[@]}"; do
    printf '%s\n    "%s": {' "$sep_m" "$mode"; sep_m=","; sep_t=""
    for tracer in "${launch_tracers[@]}"; do
      k=$mode/$tracer
      printf '%s\n      "%s": {"median": %s, "runs": %s, "whole_run_median": %s}' "$sep_t" "$tracer" \
        "$(median ${launch[$k]})" "$(jarr "${launch[$k]}")" "$(median ${total[$k]})"; sep_t=","
    done
    printf '\n    }'
  done
  printf '\n  },\n  "agent_memory_kib": {'
  sep_t=""
  if [ "$ward_ok" = 1 ]; then
    for tracer in "${rss_tracers[@]}"; do
      read -r h a f t <<<"${rss[$tracer]}"
      printf '%s\n    "%s": {"vm_hwm": %s, "rss_anon": %s, "rss_file": %s, "time_max_rss": %s}' "$sep_t" "$tracer" "$h" "$a" "$f" "$t"; sep_t=","
    done
  fi
  printf '\n  },\n  "failed_runs": %s\n}\n' "$(wc -l <"$logs/failures.txt")"
} >"$json_out"
say "results: $json_out, table: $bin/table.txt, logs: $logs"
