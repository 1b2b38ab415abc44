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
# The bundle row: the agent bundle (`ward image bundle`, trained in podman) mounted at /ward in a mount namespace
# of each run's own (unshare -m, a few ms on both sides), started as `ward inject` starts it; with a baseline, the
# baseline's bundle too. Needs root and podman; WARD_BENCH_NO_BUNDLE=1 leaves it out.
#
# Usage: ward-bench/startup.sh      knobs: WARD_BENCH_STARTUP_REPEATS, WARD_BENCH_BASELINE, WARD_BENCH_NO_BUNDLE,
#        WARD_BENCH_SKIP_BUILD; results in ward-bench/target/bench/startup.txt
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

repeats=${WARD_BENCH_STARTUP_REPEATS:-15}
baseline=${WARD_BENCH_BASELINE:-}
check_dir="$root/ward-check/src/test/resources/seeds"
lint_file="$root/examples/credential-files.yaml"

mkdir -p "$bin" "$logs"
WARD_BENCH_LIVE=1 build_ward || die "these measurements need a working 'ward run'"
[ -z "$baseline" ] || "$baseline" version >/dev/null 2>&1 || die "the baseline $baseline does not run"
# Builds launcher $1's bundle into directory $2; non-zero, saying why, when it cannot.
bundle_of() {
  rm -rf "$2"
  "$1" image bundle --to "$2" >"$logs/bundle-${2##*/}.log" 2>&1 || { say "ward image bundle failed (see $logs/bundle-${2##*/}.log)"; return 1; }
  [ -f "$2/ward.aot" ] || say "$2 has no AOT cache (no podman?): its start is slower than a real one"
}
bundle_ok=0
if [ -z "${WARD_BENCH_NO_BUNDLE:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
  if [ ! -e /ward ]; then
    mkdir /ward && trap 'rmdir /ward 2>/dev/null' EXIT
  fi
  bundle_of "$ward" "$bin/bundle" && bundle_ok=1
  if [ -n "$baseline" ] && ! bundle_of "$baseline" "$bin/bundle-baseline"; then
    bundle_ok=0
  fi
fi

# name|command line (WARD stands for the launcher measured)
commands=(
  "run -- /bin/true|WARD run -- /bin/true"
  "version|WARD version"
  "policy lint|WARD policy lint $lint_file"
  "check DIR|WARD check $check_dir"
)
# The bundle row includes its own mount namespace; the row after it is that alone (unshare, mount, /bin/true).
[ "$bundle_ok" = 1 ] && commands=("bundle: run -- /bin/true|BUNDLE run -- /bin/true"
  "bundle: the mount alone|NSMOUNT /bin/true" "${commands[@]}")

# Prints the seconds one run of command line $1 (WARD replaced by launcher $2; BUNDLE by the bundle of that
# launcher, mounted at /ward for this run) takes, its output discarded.
once() {
  local line=${1//WARD/$2} b e dir="$bin/bundle"
  [ "$2" = "$ward" ] || dir="$bin/bundle-baseline"
  line=${line//BUNDLE/NSMOUNT ${bundle_prefix[*]}}
  line=${line//NSMOUNT/unshare -m --propagation private $bin/at-ward $dir}
  b=$EPOCHREALTIME
  # shellcheck disable=SC2086
  $line >/dev/null 2>&1 || true
  e=$EPOCHREALTIME
  calc %.4f "$e - $b"
}

# at-ward DIR CMD...: mounts DIR at /ward (in the caller's own mount namespace) and runs CMD.
printf '#!/bin/sh\nmount --bind "$1" /ward && shift && exec "$@"\n' >"$bin/at-ward"
chmod +x "$bin/at-ward"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A times
for c in "${commands[@]}"; do
  IFS='|' read -r name line <<<"$c"
  for _ in 1 2; do once "$line" "$ward" >/dev/null; [ -z "$baseline" ] || once "$line" "$baseline" >/dev/null; done
  for _ in $(seq 1 "$repeats"); do
    times[$name]+="$(once "$line" "$ward") "
    [ -z "$baseline" ] || times[$name/base]+="$(once "$line" "$baseline") "
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
