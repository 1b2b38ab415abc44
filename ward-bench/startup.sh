#!/usr/bin/env bash
# ward-bench/startup.sh: how long does a Ward command take as a whole, launch to exit? Issue 13's target 4:
# `ward run -- /bin/true` <= 150 ms from the agent bundle and <= 250 ms through ./ward; `ward version`,
# `ward policy lint` and `ward check` <= 300 ms.
#
# Each command is run R times (default 15, after 2 untimed runs) and timed from the fork of its process to its
# exit (bash's EPOCHREALTIME around the command); the median, minimum and maximum are printed, with the load
# average before and after (the machine is shared: a median under load is not a quiet machine's).
# With WARD_BENCH_BASELINE=/path/to/another/checkout/ward, that launcher is measured too, each round running
# the baseline's command right after this checkout's, and the ratio of the medians is printed.
# The bundle row: the agent bundle (`ward image bundle`, see lib.sh build_bundle) mounted at /ward in this
# script's own mount namespace, started as `ward inject` starts it; needs root and podman (for its AOT cache);
# WARD_BENCH_NO_BUNDLE=1 leaves it out.
#
# Usage: ward-bench/startup.sh      knobs: WARD_BENCH_STARTUP_REPEATS, WARD_BENCH_BASELINE, WARD_BENCH_NO_BUNDLE,
#        WARD_BENCH_SKIP_BUILD; results in ward-bench/target/bench/startup.txt
set -euo pipefail

if [ "$(id -u)" = 0 ] && [ -z "${WARD_BENCH_NO_BUNDLE:-}" ] && [ -z "${WARD_BENCH_PRIVATE_MOUNTS:-}" ] \
   && command -v unshare >/dev/null; then
  WARD_BENCH_PRIVATE_MOUNTS=1 exec unshare -m --propagation private "$0" "$@"
fi
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

repeats=${WARD_BENCH_STARTUP_REPEATS:-15}
baseline=${WARD_BENCH_BASELINE:-}
check_dir="$root/ward-check/src/test/resources/seeds"
lint_file="$root/examples/credential-files.yaml"

mkdir -p "$bin" "$logs"
WARD_BENCH_LIVE=1 build_ward || die "these measurements need a working 'ward run'"
bundle_ok=0
if [ -z "${WARD_BENCH_NO_BUNDLE:-}" ]; then
  build_bundle && bundle_ok=1
fi
[ -z "$baseline" ] || "$baseline" version >/dev/null 2>&1 || die "the baseline $baseline does not run"

# name|command line (WARD stands for the launcher measured)
commands=(
  "run -- /bin/true|WARD run -- /bin/true"
  "version|WARD version"
  "policy lint|WARD policy lint $lint_file"
  "check DIR|WARD check $check_dir"
)
[ "$bundle_ok" = 1 ] && commands=("bundle: run -- /bin/true|BUNDLE run -- /bin/true" "${commands[@]}")

# Prints the seconds one run of command line $1 (WARD replaced by launcher $2) takes, its output discarded.
once() {
  local line=${1//WARD/$2} b e
  line=${line//BUNDLE/${bundle_prefix[*]}}
  b=$EPOCHREALTIME
  # shellcheck disable=SC2086
  $line >/dev/null 2>&1 || true
  e=$EPOCHREALTIME
  calc %.4f "$e - $b"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A times
for c in "${commands[@]}"; do
  IFS='|' read -r name line <<<"$c"
  for _ in 1 2; do once "$line" "$ward" >/dev/null; [ -z "$baseline" ] || once "$line" "$baseline" >/dev/null; done
  for _ in $(seq 1 "$repeats"); do
    times[$name]+="$(once "$line" "$ward") "
    [ -z "$baseline" ] || [[ "$line" == BUNDLE* ]] || times[$name/base]+="$(once "$line" "$baseline") "
  done
  say "$name: done"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

{
  printf '\nwhole-process times, %s runs each, %s, kernel %s, %s CPUs; load average %s before, %s after\n' "$repeats" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(uname -r)" "$(nproc)" "$load_before" "$load_after"
  printf '%-26s %9s %9s %9s' command "median s" "min s" "max s"
  [ -z "$baseline" ] || printf ' %14s %7s' "baseline med s" ratio
  printf '\n'
  for c in "${commands[@]}"; do
    IFS='|' read -r name _ <<<"$c"
    # shellcheck disable=SC2086
    m=$(median ${times[$name]})
    # shellcheck disable=SC2086
    printf '%-26s %9.3f %9.3f %9.3f' "$name" "$m" "$(minimum ${times[$name]})" "$(maximum ${times[$name]})"
    if [ -n "$baseline" ] && [ -n "${times[$name/base]:-}" ]; then
      # shellcheck disable=SC2086
      b=$(median ${times[$name/base]})
      printf ' %14.3f %7.2f' "$b" "$(calc %.4f "$m / $b")"
    fi
    printf '\n'
  done
} | tee "$bin/startup.txt"
