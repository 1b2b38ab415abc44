# ward-bench/lib.sh: what run.sh, jvm-flags.sh and startup.sh share. Sourced, not run.
#
# Builds the C programs (loops: the workload, reftracer: the floor, stamp: launch clock), writes the
# 100-rule policy, builds Ward when its jar is stale, and knows how to run one measurement:
#   measure MODE TRACER SCENARIO N   ns per iteration, as the workload itself timed it
#   launch_once MODE TRACER          ms from launching the entrypoint to the workload's main()
#   rss_once TRACER                  the agent JVM's peak RSS while an openclose loop runs
# Tracers: native, allow-all (a one-instruction allow-everything seccomp filter, the cost of having a
# filter at all), filter (Ward's seccomp filter alone, no tracer), strace, reftracer, ward, ward-100rules,
# ward-bundle (the agent bundle a protected container runs, mounted at /ward: see build_bundle).
# MODE is unpinned or pinned (the whole command under `taskset -c $cpu`).

bench="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$bench")"
bin="$bench/target/bench"
ward="$root/ward"   # build_ward points this at its copy
file="$bin/bench-file"
policy="$bin/policy-100rules.yaml"
logs="$bin/logs"
cpu=${WARD_BENCH_CPU:-0}
# Extra `env` assignments for the agent's command line (jvm-flags.sh sets them per variant).
agent_env=()

say() { printf '%s\n' "$*" >&2; }
die() { say "ward-bench: $*"; exit 1; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
minimum() { printf '%s\n' "$@" | sort -g | head -1; }
maximum() { printf '%s\n' "$@" | sort -g | tail -1; }
has() { local x; for x in "${@:2}"; do [ "$x" = "$1" ] && return 0; done; return 1; }

# --- build -----------------------------------------------------------------------------------------

build_c() {
  mkdir -p "$bin" "$logs"
  gcc -O2 -Wall -Wextra -o "$bin/loops" "$bench/src/main/c/loops.c"
  gcc -O2 -Wall -Wextra -o "$bin/reftracer" "$bench/src/main/c/reftracer.c"
  # Static, so the launch measurement holds no dynamic loading of the workload itself.
  gcc -O2 -Wall -Wextra -static -o "$bin/stamp" "$bench/src/main/c/stamp.c"
  printf 'ward-bench\n' >"$file"
}

# The launcher's own staleness test: build when the CLI jar is missing or older than any source.
ward_stale() {
  local jar
  jar=$(compgen -G "$root/ward-cli/target/ward/lib/ward-cli-*.jar" | head -1) || return 0
  [ -n "$(find "$root"/ward-*/src/main "$root"/ward-*/pom.xml "$root"/pom.xml -newer "$jar" -print -quit 2>/dev/null)" ]
}

# The entrypoint ward inject writes (dev.ward.api.Entrypoint.PREFIX), for the ward-bundle tracer.
bundle_prefix=(/ward/bin/env --block-signal=HUP,INT,QUIT,USR1,USR2,TERM,WINCH _JAVA_SR_SIGNUM=40 WARD_SR_SIGNUM=1
               /ward/bin/java @/ward/ward.args)

# Builds the agent bundle (`ward image bundle`, AOT cache trained in podman) into $bin/bundle and
# bind-mounts it at /ward, where its paths point, inside this script's own mount namespace (run.sh
# re-executes itself under `unshare -m`; /ward is created when missing and removed at exit). Needs root.
# Returns non-zero, saying why, when it cannot.
build_bundle() {
  [ "$(id -u)" = 0 ] && [ -n "${WARD_BENCH_PRIVATE_MOUNTS:-}" ] || { say "ward-bundle needs root (left out)"; return 1; }
  rm -rf "$bin/bundle"
  "$ward" image bundle --to "$bin/bundle" >"$logs/bundle.log" 2>&1 || { say "ward image bundle failed (see $logs/bundle.log)"; return 1; }
  if [ ! -e /ward ]; then
    mkdir /ward || { say "cannot create /ward"; return 1; }
    # the mount is this namespace's alone; the directory is the machine's: remove it again
    trap 'umount /ward 2>/dev/null; rmdir /ward 2>/dev/null' EXIT
  fi
  mount --bind "$bin/bundle" /ward || { say "cannot mount the bundle at /ward"; return 1; }
  "${bundle_prefix[@]}" run -- /bin/true >"$logs/smoke-bundle.log" 2>&1 \
    || { say "the bundle cannot run a workload (see $logs/smoke-bundle.log)"; return 1; }
}

# Builds Ward when stale, then copies the launcher and its lib/ into $bin/dist and uses that copy:
# the same script and jars, but no sources next to it, so a source edited by someone else while the
# benchmark runs cannot make the launcher rebuild mid-run. (Set WARD_BENCH_LIVE=1 to run ./ward
# itself.) The copy's first run trains its own AOT cache, as the launcher does, since a cache only
# serves the class path it was trained on. Returns non-zero, saying why, when Ward cannot be built
# or cannot run a workload.
build_ward() {
  if [ -z "${WARD_BENCH_SKIP_BUILD:-}" ] && ward_stale; then
    say "building Ward: ./mvnw -q -DskipTests -pl ward-cli -am package"
    (cd "$root" && ./mvnw -q -DskipTests -pl ward-cli -am package) >"$logs/build.log" 2>&1 \
      || { say "Ward does not build (see $logs/build.log)"; return 1; }
  fi
  if [ -z "${WARD_BENCH_LIVE:-}" ]; then
    compgen -G "$root/ward-cli/target/ward/lib/ward-cli-*.jar" >/dev/null || { say "no Ward build to copy"; return 1; }
    rm -rf "$bin/dist"
    mkdir -p "$bin/dist/ward-cli/target/ward"
    cp "$root/ward" "$bin/dist/ward"
    cp -r "$root/ward-cli/target/ward/lib" "$root/ward-cli/target/ward/jvm.flags" "$bin/dist/ward-cli/target/ward/"
    ward="$bin/dist/ward"
  fi
  "$ward" run -- /bin/true >"$logs/smoke.log" 2>&1 \
    || { say "'ward run -- /bin/true' fails (see $logs/smoke.log)"; return 1; }
}

# 100 Block rules on files, none of which the benchmark touches; some share long prefixes with the
# file the loop opens, so a matcher has to look past the first bytes to reject them.
write_policy() {
  {
    printf 'apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata:\n  name: bench-100-file-rules\n'
    printf 'spec:\n  severity: 5\n  selector:\n    matchLabels:\n      kubearmor.io/container.name: ward-bench\n'
    printf '  file:\n    matchPaths:\n'
    local i
    for i in $(seq 0 59); do
      case $((i % 5)) in
        0) printf '    - path: /etc/ward-bench/secret-%d\n' "$i" ;;
        1) printf '    - path: /var/lib/app/key-%d.pem\n' "$i" ;;
        2) printf '    - path: /root/.ssh/id_%d\n' "$i" ;;
        3) printf '    - path: %s-%d\n' "$file" "$i" ;;
        4) printf '    - path: /usr/lib/ward-bench/lib%d.so\n' "$i" ;;
      esac
    done
    printf '    matchDirectories:\n'
    for i in $(seq 0 39); do
      case $((i % 4)) in
        0) printf '    - dir: /opt/ward-bench/dir%d/\n      recursive: true\n' "$i" ;;
        1) printf '    - dir: %s/dir%d/\n' "$bin" "$i" ;;
        2) printf '    - dir: /home/user%d/.aws/\n      recursive: true\n' "$i" ;;
        3) printf '    - dir: /srv/data%d/\n' "$i" ;;
      esac
    done
    printf '  action: Block\n'
  } >"$policy"
}

# strace 6.1 predates fchmodat2 (Linux 6.6): keep the names this strace knows, and say which it drops.
strace_list() {
  local names=(execve execveat open openat openat2 creat unlink unlinkat rename renameat renameat2 link linkat
    symlink symlinkat chmod fchmod fchmodat fchmodat2 socket connect bind listen accept accept4 ptrace
    process_vm_writev)
  local keep=() n
  strace_dropped=()
  for n in "${names[@]}"; do
    if strace -e "trace=$n" -o /dev/null /bin/true 2>/dev/null; then keep+=("$n"); else strace_dropped+=("$n"); fi
  done
  strace_syscalls=$(IFS=,; printf '%s' "${keep[*]}")
}

# --- one run ---------------------------------------------------------------------------------------

# Fills the array `cmd` with the command line of tracer $1 around the rest of the arguments.
command_for() {
  local tracer=$1 agent=("$ward")
  shift
  [ ${#agent_env[@]} -gt 0 ] && agent=(env "${agent_env[@]}" "$ward")
  case $tracer in
    native) cmd=("$@") ;;
    filter) cmd=("$bin/reftracer" --no-trace "$@") ;;
    allow-all) cmd=("$bin/reftracer" --allow-all "$@") ;;
    strace) cmd=(strace -f --seccomp-bpf -e "trace=$strace_syscalls" -o /dev/null "$@") ;;
    reftracer) cmd=("$bin/reftracer" "$@") ;;
    ward) cmd=("${agent[@]}" run -- "$@") ;;
    ward-100rules) cmd=("${agent[@]}" run --container-name ward-bench --policy "$policy" -- "$@") ;;
    ward-bundle) cmd=("${bundle_prefix[@]}" run -- "$@") ;;
    *) die "unknown tracer '$tracer'" ;;
  esac
}

pin_for() { if [ "$1" = pinned ]; then pin=(taskset -c "$cpu"); else pin=(); fi; }

workload() {
  case $1 in
    openclose) work=("$bin/loops" openclose "$2" "$file") ;;
    *) work=("$bin/loops" "$1" "$2") ;;
  esac
}

# A failed run of a tracer is retried up to twice, and every failure is kept in $logs/failures.txt
# (run.sh reports how many there were): one flaky exit must not throw away a long run, nor go unseen.
note_failure() {
  printf '%s rc=%s %s\n' "$(date -u +%H:%M:%S)" "$1" "$2" >>"$logs/failures.txt"
  say "ward-bench: failed (rc=$1): $2"
}

# Prints ns per iteration of scenario $3 with $4 iterations under tracer $2 in mode $1.
measure() {
  local mode=$1 tracer=$2 scenario=$3 n=$4 log="$logs/$1-$2-$3.log" out rc attempt
  workload "$scenario" "$n"; command_for "$tracer" "${work[@]}"; pin_for "$mode"
  for attempt in 1 2 3; do
    rc=0; out=$("${pin[@]}" "${cmd[@]}" 2>"$log") || rc=$?
    out=$(printf '%s\n' "$out" | sed -n 's/^loops: .*ns_per_op=\([0-9.]*\)$/\1/p' | tail -1)
    if [ "$rc" = 0 ] && [ -n "$out" ]; then printf '%s' "$out"; return 0; fi
    cp "$log" "$log.failed-$attempt"
    note_failure "$rc" "$mode $tracer $scenario n=$n (stderr: $log.failed-$attempt)"
  done
  die "$tracer $scenario failed three times: ${pin[*]} ${cmd[*]}"
}

# Prints "L W": L = ms from `stamp --exec` to the workload stamp's main(), W = ms of the whole run
# (the agent's exit included), both for mode $1 and tracer $2.
launch_once() {
  local mode=$1 tracer=$2 out t0 t1 b e rc attempt
  command_for "$tracer" "$bin/stamp"; pin_for "$mode"
  for attempt in 1 2 3; do
    b=$EPOCHREALTIME
    rc=0; out=$("${pin[@]}" "$bin/stamp" --exec "${cmd[@]}" 2>"$logs/launch-last.log") || rc=$?
    e=$EPOCHREALTIME
    t0=$(printf '%s\n' "$out" | sed -n 's/^stamp: launch_ns=//p')
    t1=$(printf '%s\n' "$out" | sed -n 's/^stamp: start_ns=//p')
    if [ "$rc" = 0 ] && [ -n "$t0" ] && [ -n "$t1" ]; then
      printf '%s %s' "$(calc %.2f "($t1 - $t0) / 1e6")" "$(calc %.2f "($e - $b) * 1000")"
      return 0
    fi
    cp "$logs/launch-last.log" "$logs/launch.failed-$attempt"
    note_failure "$rc" "$mode launch under $tracer ${agent_env[*]} (stdout: $out; stderr: $logs/launch.failed-$attempt)"
  done
  die "launch under $tracer failed three times"
}

# Runs openclose $2 under tracer $1 (a Ward one), sampling /proc/PID/status of the agent JVM (the
# launcher execs into it) every 50 ms until it exits; VmHWM only grows, so the last sample is the
# peak. Prints "VmHWM RssAnon RssFile time-maxrss" in KiB; time(1)'s max RSS is the largest of the
# agent and the workload's processes, a cross-check. The agent's java command line is left in
# $logs/agent-cmdline.txt.
rss_once() {
  local tracer=$1 n=$2 pid jvm hwm=0 anon=0 rfile=0 line cmdline="" tfile="$logs/rss-$1.time"
  command_for "$tracer" "$bin/loops" openclose "$n" "$file"
  /usr/bin/time -f '%M' -o "$tfile" "${cmd[@]}" >"$logs/rss-$tracer.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    jvm=$(pgrep -P "$pid" -x java | head -1 || true)
    if [ -n "$jvm" ] && [ -z "$cmdline" ]; then
      cmdline=$(tr '\0' ' ' <"/proc/$jvm/cmdline" 2>/dev/null || true)
    fi
    if [ -n "$jvm" ] && line=$(awk '/^(VmHWM|RssAnon|RssFile):/ { printf "%s ", $2 }' "/proc/$jvm/status" 2>/dev/null) \
        && [ -n "$line" ]; then
      read -r hwm anon rfile <<<"$line"
    fi
    sleep 0.05
  done
  wait "$pid" || die "RSS run under $tracer failed (see $logs/rss-$tracer.log)"
  printf '%s\n' "$cmdline" >"$logs/agent-cmdline.txt"
  printf '%s %s %s %s' "$hwm" "$anon" "$rfile" "$(tail -1 "$tfile")"
}

# verdict_ge VALUE TARGET / verdict_le VALUE TARGET: "met" or "NOT met".
verdict_ge() { awk -v v="$1" -v t="$2" 'BEGIN { if (v !~ /^[0-9.]+$/) print "n/a"; else print (v >= t ? "met" : "NOT met") }'; }
verdict_le() { awk -v v="$1" -v t="$2" 'BEGIN { if (v !~ /^[0-9.]+$/) print "n/a"; else print (v <= t ? "met" : "NOT met") }'; }
