#!/usr/bin/env python3
"""ward-bench/launch-pairs.py: what does a change to the agent's start or exit save, launch to exit, per phase, in
wall and CPU time, on a machine whose load is not ours? (issue 13, targets 4 and 7)

Each variant is an agent bundle directory (`ward image bundle --to DIR`), optionally with environment settings for
the agent after a colon (DIR:NAME=VALUE,NAME=VALUE). Each run mounts the bundle at /ward in a mount namespace of its
own (unshare -m, as startup.sh's bundle row) and starts `ward run -- STAMP` as `ward inject`'s entrypoint does;
STAMP (ward-bench's static stamp) prints CLOCK_MONOTONIC first thing in main() and exits. Per run: wall from the
spawn to the reaping of the whole tree, the part up to the workload's main() and the part after it (the workload's
exit to the agent's), CPU (user+sys of the tree, wait4's rusage) and context switches, voluntary (each a thread
waiting: a hand-off, a lock, I/O) and involuntary. Variants alternate within a round, the order rotating, after
two untimed runs each. Printed: medians, the median over rounds of each variant's ratio and difference to the
first, and quartiles.

--debug sets WARD_DEBUG_STARTUP: the agent's marks (StartupClock: each step of the start and the exit, with its
thread and that thread's CPU) are parsed and compared too, as ms after main(); printing them costs the workload
a few ms at its exec stop, so the run's own figures come from runs without it.

On a loaded machine, `chrt -r 10 ward-bench/launch-pairs.py ...` (root) runs the measured tree ahead of the other
work, round-robin among its own threads: close to a quiet machine's figures (docs/benchmarks.md, 2026-12-06).

Usage (root): ward-bench/launch-pairs.py N BASE_DIR DIR [DIR:ENV=VALUE ...] [--debug]
Needs ward-bench/target/bench/at-ward (startup.sh writes it) and stamp (run.sh builds it:
gcc -O2 -static -o ward-bench/target/bench/stamp ward-bench/src/main/c/stamp.c).
"""
import os
import re
import statistics
import sys
import time

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'target', 'bench')
PREFIX = ['/ward/bin/env', '--block-signal=HUP,INT,QUIT,USR1,USR2,TERM,WINCH', '_JAVA_SR_SIGNUM=40',
          'WARD_SR_SIGNUM=1']
MARK = re.compile(r'ward: startup (.*?)(?: \[([^\]]*)\])?\s+([\d.]+) ms, thread CPU ([-\d.]+) ms')


def once(variant, debug):
    bundle, _, extra = variant.partition(':')
    argv = ['unshare', '-m', '--propagation', 'private', os.path.join(BENCH, 'at-ward'), bundle] + PREFIX
    if debug:
        argv.append('WARD_DEBUG_STARTUP=1')
    if extra:
        argv += extra.split(',')
    argv += ['/ward/bin/java', '@/ward/ward.args', 'run', '--', os.path.join(BENCH, 'stamp')]
    r, w = os.pipe()
    actions = [(os.POSIX_SPAWN_DUP2, w, 1), (os.POSIX_SPAWN_DUP2, w, 2), (os.POSIX_SPAWN_CLOSE, r)]
    t0 = time.monotonic_ns()
    pid = os.posix_spawnp('unshare', argv, os.environ, file_actions=actions)
    os.close(w)
    out = b''
    while chunk := os.read(r, 65536):
        out += chunk
    _, _, ru = os.wait4(pid, 0)
    t1 = time.monotonic_ns()
    os.close(r)
    text = out.decode(errors='replace')
    m = re.search(r'start_ns=(\d+)', text)
    if not m:
        sys.exit(f'launch-pairs: no workload start in the output of {variant}:\n{text}')
    start = int(m.group(1))
    res = {'wall': (t1 - t0) / 1e6, 'launch -> workload main()': (start - t0) / 1e6,
           'workload main() -> agent gone': (t1 - start) / 1e6, 'cpu': (ru.ru_utime + ru.ru_stime) * 1e3,
           'voluntary switches': ru.ru_nvcsw, 'involuntary switches': ru.ru_nivcsw}
    if debug:
        for mm in MARK.finditer(text):
            res['@' + mm.group(1)] = float(mm.group(3))
            res['cpu@' + mm.group(1)] = float(mm.group(4))
        o = re.search(r'origin \(System.nanoTime\) (\d+)', text)
        if o:
            res['launch -> main()'] = (int(o.group(1)) - t0) / 1e6
    return res


def quartiles(values):
    v = sorted(values)
    return v[len(v) // 4], v[len(v) // 2], v[(3 * len(v)) // 4]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    debug = '--debug' in sys.argv
    if len(args) < 2:
        sys.exit(__doc__)
    n, variants = int(args[0]), args[1:]
    for v in variants:
        once(v, debug)
        once(v, debug)
    runs = {v: [] for v in variants}
    load0 = open('/proc/loadavg').read().split()[:3]
    for i in range(n):
        order = variants[i % len(variants):] + variants[:i % len(variants)]
        for v in (order[::-1] if i % 2 else order):
            runs[v].append(once(v, debug))
    load1 = open('/proc/loadavg').read().split()[:3]
    print(f'{n} rounds, {time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, load average {" ".join(load0)} -> '
          f'{" ".join(load1)}')
    for j, v in enumerate(variants):
        print(f'  v{j} = {v}')
    keys = list(dict.fromkeys(k for v in variants for r in runs[v] for k in r))
    print(f'{"median (ms, switches)":44s} ' + ' '.join(f'{"v" + str(j):>8s}' for j in range(len(variants)))
          + ''.join(f'   v{j}/v0, v{j}-v0 (paired)' for j in range(1, len(variants))))
    for k in keys:
        vals = [[r.get(k) for r in runs[v]] for v in variants]
        med = [statistics.median([x for x in vs if x is not None]) if any(x is not None for x in vs)
               else float('nan') for vs in vals]
        line = f'{k:44s} ' + ' '.join(f'{m:8.1f}' for m in med)
        for j in range(1, len(variants)):
            pairs = [(a, b) for a, b in zip(vals[0], vals[j]) if a and b is not None]
            if pairs:
                line += (f'   {statistics.median([b / a for a, b in pairs]):6.2f} '
                         f'{statistics.median([b - a for a, b in pairs]):+8.1f}')
        print(line)
    for k in ['wall', 'launch -> workload main()', 'workload main() -> agent gone', 'cpu', 'voluntary switches']:
        print(f'{k + " p25/p50/p75":44s} ' + '   '.join('v%d %.1f/%.1f/%.1f' % (j, *quartiles([r[k] for r in runs[v]]))
                                                   for j, v in enumerate(variants)))


if __name__ == '__main__':
    main()
