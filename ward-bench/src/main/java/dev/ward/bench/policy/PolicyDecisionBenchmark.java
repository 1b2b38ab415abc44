// How many file and exec decisions per second does one core make against 10, 1,000 and 10,000 rules, and does a
// decision allocate? (Target from issue 3: at least 5 million decisions per second per core at 1,000 rules.)
//
// Scenario: SyntheticPolicies' rule mix, 1,024 prepared accesses cycled in order (half hits, half misses, deep
// paths, a quarter from a fromSource executable). As in the tracer, one request object per thread is refilled for
// every decision: the measured cost includes copying the path and the exe into it.
// Run: java -jar ward-bench/target/benchmarks.jar PolicyDecisionBenchmark -prof gc
// (gc.alloc.rate.norm should be ~0 B/op).
package dev.ward.bench.policy;

import dev.ward.policy.FileRequest;
import dev.ward.policy.Match;
import dev.ward.policy.PolicySet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyDecisionBenchmark {
    @Param({"10", "1000", "10000"})
    public int rules;

    private PolicySet set;
    private SyntheticPolicies.Access[] accesses;
    private final FileRequest request = new FileRequest();
    private int next;

    @Setup
    public void setUp() {
        set = SyntheticPolicies.compile(rules);
        accesses = SyntheticPolicies.accesses(rules);
    }

    @Benchmark
    public Match file() {
        accesses[next++ & (SyntheticPolicies.REQUESTS - 1)].copyInto(request);
        return set.file(request);
    }

    @Benchmark
    public Match process() {
        accesses[next++ & (SyntheticPolicies.REQUESTS - 1)].copyInto(request);
        return set.process(request);
    }
}
