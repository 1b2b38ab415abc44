package dev.ward.relay;

import dev.ward.relay.api.ListPoliciesRequest;
import dev.ward.relay.api.PolicyInfo;
import dev.ward.relay.api.PolicyList;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ward policy list}: the relay's policies, their versions and how many connected agents they select. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the policies stored on the relay.")
public final class PolicyListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RelayClientOptions relay = new RelayClientOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        return relay.admin(spec, false, stub -> {
            PolicyList list = stub.withDeadlineAfter(RelayClientOptions.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .listPolicies(ListPoliciesRequest.getDefaultInstance());
            out.printf("%-40s %-8s %-24s %s%n", "NAME", "VERSION", "UPDATED", "AGENTS");
            for (PolicyInfo p : list.getPoliciesList()) {
                String name = p.getNamespace().isEmpty() ? p.getName() : p.getNamespace() + "/" + p.getName();
                out.printf("%-40s %-8d %-24s %d%n", name, p.getVersion(),
                        Instant.ofEpochMilli(p.getUpdatedUnixMillis()).toString(), p.getAgents());
            }
            out.println(list.getPoliciesCount() + (list.getPoliciesCount() == 1 ? " policy" : " policies")
                    + ", store version " + list.getStoreVersion());
            out.flush();
            return 0;
        });
    }
}
