// How many socket() decisions per second does one core make when network rules are an allow-list with
// fromSource, the shape of "tcp only from curl, default posture for everything else"?
//
// Scenario: 8 protocol rules (4 scoped to sources), 4 prepared socket requests from a listed source and from an
// unlisted one, cycled. Run: java -jar ward-bench/target/benchmarks.jar NetworkDecisionBenchmark -prof gc
package dev.ward.bench.policy;

import dev.ward.policy.ContainerIdentity;
import dev.ward.policy.Match;
import dev.ward.policy.NetworkRequest;
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
public class NetworkDecisionBenchmark {
    private PolicySet set;
    private final NetworkRequest[] requests = new NetworkRequest[4];
    private int next;

    @Setup
    public void setUp() throws PolicyException {
        String yaml = """
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata: {name: net}
                spec:
                  selector: {matchLabels: {kubearmor.io/container.name: bench}}
                  network:
                    matchProtocols:
                    - {protocol: tcp, fromSource: [{path: /usr/bin/curl}]}
                    - {protocol: udp, fromSource: [{path: /usr/bin/curl}, {dir: /app/bin/}]}
                    - {protocol: icmp, action: Audit}
                    - {protocol: raw, action: Block}
                    - {protocol: sctp, action: Block}
                    - {protocol: icmpv6, action: Audit, fromSource: [{path: /bin/ping}]}
                    - {protocol: tcp, fromSource: [{dir: /app/bin/, recursive: true}]}
                    - {protocol: packet, action: Block}
                  action: Allow
                """;
        set = PolicySet.compile(PolicyLoader.parse(yaml, "net.yaml"), ContainerIdentity.named("bench"),
                Posture.defaults());
        requests[0] = new NetworkRequest().socket(NetworkRequest.AF_INET, NetworkRequest.SOCK_STREAM, 0)
                .source("/usr/bin/curl");
        requests[1] = new NetworkRequest().socket(NetworkRequest.AF_INET6, NetworkRequest.SOCK_DGRAM, 0)
                .source("/usr/bin/wget");
        requests[2] = new NetworkRequest().socket(NetworkRequest.AF_INET, NetworkRequest.SOCK_RAW,
                NetworkRequest.IPPROTO_ICMP).source("/bin/ping");
        requests[3] = new NetworkRequest().socket(NetworkRequest.AF_INET, NetworkRequest.SOCK_STREAM, 0)
                .source("/app/bin/server/worker");
    }

    @Benchmark
    public Match socket() {
        return set.network(requests[next++ & 3]);
    }
}
