#!/usr/bin/env bash
# ward-bench/jvm-flags.sh: which JVM flags (and malloc settings) make the agent start faster or hold
# less memory, without slowing its tracer down?
#
# For each variant below, on top of the flags the `ward` launcher already passes (WARD_JAVA_OPTS
# comes after them, so a variant's flag wins):
#   launch   ms from launching `ward run -- stamp` to stamp's main(), median of L runs, unpinned and
#            pinned to one CPU (default L=10), and the whole run (the agent's exit included)
#   memory   the agent's VmHWM while `loops openclose 100000` runs under the 100-rule policy
#            (the run with the median VmHWM of R)
#   speed    ns per open+close under the 100-rule policy, pinned, median of R runs (default R=3,
#            openclose 100000 after 10000 warm-up iterations)
# Variants are interleaved within each round. Last, the launcher script's own share of the launch.
# A JDK 25 AOT cache only serves the flags and class path it was trained with: the launcher trains
# one for its own flags; a variant marked "train" gets its own, trained here with its flags on a
# supervised open/fork/exec run (-XX:AOTCacheOutput), then used with -XX:AOTCache. A variant marked
# "strip" runs without the launcher's cache (the JVM refuses -Xshare next to -XX:AOTCache).
#
# Usage: ward-bench/jvm-flags.sh     knobs: WARD_BENCH_LAUNCH_REPEATS, WARD_BENCH_REPEATS,
#        WARD_BENCH_RSS_N, WARD_BENCH_OPENCLOSE_N, WARD_BENCH_VARIANTS (names, space-separated)
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

launch_repeats=${WARD_BENCH_LAUNCH_REPEATS:-10}
repeats=${WARD_BENCH_REPEATS:-3}
rss_n=${WARD_BENCH_RSS_N:-100000}
speed_n=${WARD_BENCH_OPENCLOSE_N:-100000}

# name|JVM flags (WARD_JAVA_OPTS)|other environment|train or strip (see above)
variants=(
  "launcher|||"
  "no-aot|||strip"
  "no-cds-no-aot|-Xshare:off||strip"
  "c2|-XX:TieredStopAtLevel=4 -XX:CICompilerCount=2||train"
  "compact-headers|-XX:+UseCompactObjectHeaders||train"
  "no-relocation|-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0||"
  "xmx24m|-Xmx24m -XX:MaxMetaspaceSize=24m||"
  "fewer-compiles|-XX:CompileThresholdScaling=10||train"
  "interpreter-only|-Xint||train"
  "malloc-arena-max-2||MALLOC_ARENA_MAX=2|"
  "combined|-XX:+UseCompactObjectHeaders -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0|MALLOC_ARENA_MAX=2|train"
)
selected=(${WARD_BENCH_VARIANTS:-})

# A java wrapper in $bin/java-strip (used as JAVA_HOME, which the launcher honours) that drops the
# launcher's -XX:AOTCache=... and runs the same JDK: for training (the JVM refuses AOTCache together
# with AOTCacheOutput) and for the "strip" variants.
write_strip_wrapper() {
  local real=java
  if [ -n "${JAVA_HOME:-}" ]; then real=$JAVA_HOME/bin/java
  elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then real=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; fi
  mkdir -p "$bin/java-strip/bin"
  cat >"$bin/java-strip/bin/java" <<EOF
#!/usr/bin/env bash
args=(); for a in "\$@"; do case \$a in -XX:AOTCache=*) ;; *) args+=("\$a") ;; esac; done
exec "$real" "\${args[@]}"
EOF
  chmod +x "$bin/java-strip/bin/java"
}

# Sets agent_env for a variant: its JVM flags, its environment, its own AOT cache if it has one.
use_variant() {
  local name=$1 opts=$2 envs=$3 mode=$4 word
  agent_env=()
  [ "$mode" = train ] && opts="$opts -XX:AOTCache=$bin/$name.aot"
  [ "$mode" = strip ] && agent_env+=("JAVA_HOME=$bin/java-strip")
  [ -n "$opts" ] && agent_env+=("WARD_JAVA_OPTS=$opts")
  for word in $envs; do agent_env+=("$word"); done
}

# Trains $bin/NAME.aot with the variant's flags on a supervised run that opens, forks and execs.
train_variant() {
  local name=$1 opts=$2 envs=$3 word
  rm -f "$bin/$name.aot"
  agent_env=("JAVA_HOME=$bin/java-strip" "WARD_JAVA_OPTS=$opts -Dward.exit=jvm -XX:AOTCacheOutput=$bin/$name.aot")
  for word in $envs; do agent_env+=("$word"); done
  command_for ward-100rules /bin/sh -c '"$0" openclose 20000 "$1" && "$0" forkexec 100' "$bin/loops" "$file"
  "${cmd[@]}" >"$logs/aot-train-$name.log" 2>&1 || die "AOT training for $name failed (see $logs/aot-train-$name.log)"
  [ -f "$bin/$name.aot" ] || die "no AOT cache written for $name (see $logs/aot-train-$name.log)"
}

build_c
write_policy
build_ward || die "these measurements need a working 'ward run'"
write_strip_wrapper
: >"$logs/failures.txt"

declare -A res
names=()
for v in "${variants[@]}"; do
  IFS='|' read -r name opts envs vmode <<<"$v"
  [ ${#selected[@]} -gt 0 ] && ! has "$name" "${selected[@]}" && continue
  names+=("$name")
  [ "$vmode" = train ] && { say "$name: training its AOT cache"; train_variant "$name" "$opts" "$envs"; }
done

# Sets agent_env for the variant called $1.
select_variant() {
  local v name opts envs vmode
  for v in "${variants[@]}"; do
    IFS='|' read -r name opts envs vmode <<<"$v"
    [ "$name" = "$1" ] && { use_variant "$name" "$opts" "$envs" "$vmode"; return 0; }
  done
  die "no variant $1"
}

# Variants interleaved within each round, so that a noisy neighbour slows all of them alike.
for mode in unpinned pinned; do
  for name in "${names[@]}"; do select_variant "$name"; launch_once "$mode" ward >/dev/null; done
  for r in $(seq 1 "$launch_repeats"); do
    for name in "${names[@]}"; do
      select_variant "$name"
      lw=$(launch_once "$mode" ward); read -r l w <<<"$lw"
      res[$name/launch/$mode]+="$l "; res[$name/whole/$mode]+="$w "
    done
    say "[$mode] launch round $r/$launch_repeats done"
  done
done
for r in $(seq 1 "$repeats"); do
  for name in "${names[@]}"; do
    select_variant "$name"
    res[$name/rss]+="$(rss_once ward-100rules "$rss_n");"
    [ "$r" = 1 ] && measure pinned ward-100rules openclose $((speed_n / 10)) >/dev/null
    res[$name/speed]+="$(measure pinned ward-100rules openclose "$speed_n") "
  done
  say "memory and speed round $r/$repeats done"
done
agent_env=()

# The launcher script's own share of the launch: a copy of it whose final exec runs stamp instead
# of java (skipped, with a note, if the launcher's last line is not the expected exec).
script_only=""
sed 's|^exec "${blocker\[@\]}" "$java" .*|exec "${blocker[@]}" "$STAMP"|' "$ward" >"$(dirname "$ward")/ward-script-only"
chmod +x "$(dirname "$ward")/ward-script-only"
if grep -q '"$STAMP"' "$(dirname "$ward")/ward-script-only"; then
  ls=()
  for r in $(seq 1 "$launch_repeats"); do
    out=$(STAMP="$bin/stamp" "$bin/stamp" --exec "$(dirname "$ward")/ward-script-only")
    ls+=("$(printf '%s\n' "$out" | awk -F= '/launch_ns/ { a = $2 } /start_ns/ { b = $2 } END { printf "%.2f", (b - a) / 1e6 }')")
  done
  script_only=$(median "${ls[@]}")
else
  say "the launcher's last line is not the expected exec of java: its own share is not measured"
fi

# Medians of the rounds; memory: the run with the median VmHWM.
for name in "${names[@]}"; do
  for mode in unpinned pinned; do
    res[$name/launch/$mode]=$(median ${res[$name/launch/$mode]})
    res[$name/whole/$mode]=$(median ${res[$name/whole/$mode]})
  done
  res[$name/speed]=$(median ${res[$name/speed]})
  res[$name/rss]=$(printf '%s\n' "${res[$name/rss]}" | tr ';' '\n' | sed '/^$/d' | sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')
done

{
  printf '\nagent JVM variants (on top of the launcher flags), %s, kernel %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(uname -r)"
  printf '%-22s %10s %10s %10s %9s %9s %9s %11s   %s\n' variant "launch ms" "pinned ms" "whole ms" "VmHWM MiB" "anon MiB" "file MiB" "open ns/op" flags
  for v in "${variants[@]}"; do
    IFS='|' read -r name opts envs vmode <<<"$v"
    has "$name" "${names[@]}" || continue
    read -r h a f _ <<<"${res[$name/rss]}"
    printf '%-22s %10.1f %10.1f %10.1f %9.1f %9.1f %9.1f %11.0f   %s\n' "$name" "${res[$name/launch/unpinned]}" \
      "${res[$name/launch/pinned]}" "${res[$name/whole/unpinned]}" "$(calc %.1f "$h/1024")" "$(calc %.1f "$a/1024")" \
      "$(calc %.1f "$f/1024")" "${res[$name/speed]}" "$opts${envs:+ $envs}$(case $vmode in train) echo ' (own AOT cache)' ;; strip) echo ' (no AOT cache)' ;; esac)"
  done
  [ -n "$script_only" ] && printf '\nthe launcher script alone (java replaced by stamp): %s ms of the launch\n' "$script_only"
} | tee "$bin/jvm-flags.txt"
