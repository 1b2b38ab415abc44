package dev.ward.relay;

import dev.ward.relay.api.DeleteRequest;
import dev.ward.relay.api.PolicyResult;
import dev.ward.relay.api.policy.PolicyStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ward policy delete NAME...}: removes policies from the relay and from the agents that had them. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Delete policies on the relay; the agents that had them stop enforcing them.",
            "Needs the relay's admin token ($WARD_RELAY_ADMIN_TOKEN or --token-file)."})
public final class PolicyDeleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RelayClientOptions relay = new RelayClientOptions();

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "the policies' namespace (default none)")
    String namespace;

    @Option(names = "--kind", paramLabel = "KIND", description = "KubeArmorPolicy or AuthorizationPolicy (default: "
            + "the one kind holding the name)")
    String kind = "";

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "policies: NAME (metadata.name) or NAMESPACE/NAME")
    List<String> names;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<PolicyName> policies = names.stream().map(n -> PolicyName.parse(spec, namespace, n)).toList();
        int code = relay.admin(spec, true, stub -> {
            boolean ok = true;
            for (PolicyName p : policies) {
                PolicyResult r = stub.withDeadlineAfter(RelayClientOptions.DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .deletePolicy(DeleteRequest.newBuilder().setName(p.name()).setNamespace(p.namespace())
                                .setKind(kind).build());
                if (r.getStatus() == PolicyStatus.Deleted) {
                    out.println(PolicyAddCommand.name(r) + ": Deleted (version " + r.getVersion() + ", removed from "
                            + r.getAgents() + (r.getAgents() == 1 ? " agent)" : " agents)"));
                } else {
                    err.println(RelayClientOptions.prefix(spec) + PolicyAddCommand.name(r) + ": " + r.getStatus()
                            + (r.getMessage().isEmpty() ? "" : " (" + r.getMessage() + ")"));
                    ok = false;
                }
            }
            return ok ? 0 : 1;
        });
        out.flush();
        err.flush();
        return code;
    }
}
