package dev.ward.relay;

import dev.ward.relay.api.GetPolicyRequest;
import dev.ward.relay.api.PolicyInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ward policy get NAME}: prints the policy's YAML as stored on the relay. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Print a policy stored on the relay.")
public final class PolicyGetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RelayClientOptions relay = new RelayClientOptions();

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "the policy's namespace (default none)")
    String namespace;

    @Option(names = "--kind", paramLabel = "KIND", description = "KubeArmorPolicy or AuthorizationPolicy (default: "
            + "the one kind holding the name)")
    String kind = "";

    @Parameters(index = "0", paramLabel = "NAME", description = "the policy: NAME (metadata.name) or NAMESPACE/NAME")
    String name;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PolicyName policy = PolicyName.parse(spec, namespace, name);
        return relay.admin(spec, false, stub -> {
            PolicyInfo p = stub.withDeadlineAfter(RelayClientOptions.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .getPolicy(GetPolicyRequest.newBuilder().setName(policy.name())
                            .setNamespace(policy.namespace()).setKind(kind).build());
            out.print(p.getYaml().endsWith("\n") ? p.getYaml() : p.getYaml() + "\n");
            out.flush();
            return 0;
        });
    }
}
