// How long does it take to parse, validate and compile 10, 1,000 and 10,000 rules, i.e. how long does a policy
// swap take before the new set is published to the tracer threads?
//
// Scenario: the YAML text of SyntheticPolicies' rule mix, parsed and compiled from scratch each time.
// Run: java -jar ward-bench/target/benchmarks.jar PolicyCompileBenchmark
package dev.ward.bench.policy;

import dev.ward.policy.ContainerIdentity;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.PolicySet;
import dev.ward.policy.Posture;
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

@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyCompileBenchmark {
    @Param({"10", "1000", "10000"})
    public int rules;

    private String yaml;

    @Setup
    public void setUp() {
        yaml = SyntheticPolicies.yaml(rules, 7);
    }

    @Benchmark
    public PolicySet parseAndCompile() throws PolicyException {
        return PolicySet.compile(PolicyLoader.parse(yaml, "bench.yaml"), ContainerIdentity.named("bench"),
                Posture.defaults());
    }
}
