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

/**
 * {@code ward policy list}: the relay's policies of both kinds, their versions and how many connected agents hold
 * them.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the policies stored on the relay.")
public final class PolicyListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RelayClientOptions relay = new RelayClientOptions();

    @picocli.CommandLine.Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "only this namespace (default: every namespace)")
    String namespace;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        return relay.admin(spec, false, stub -> {
            PolicyList list = stub.withDeadlineAfter(RelayClientOptions.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .listPolicies(ListPoliciesRequest.getDefaultInstance());
            Table table = new Table("NAME", "VERSION", "UPDATED", "AGENTS", "KIND");
            int shown = 0;
            for (PolicyInfo p : list.getPoliciesList()) {
                if (namespace != null && !namespace.equals(p.getNamespace())) {
                    continue;
                }
                String name = p.getNamespace().isEmpty() ? p.getName() : p.getNamespace() + "/" + p.getName();
                table.row(name, p.getVersion(), Instant.ofEpochMilli(p.getUpdatedUnixMillis()), p.getAgents(),
                        p.getKind().isEmpty() ? dev.ward.relay.store.StoredPolicy.KUBEARMOR : p.getKind());
                shown++;
            }
            table.print(out);
            out.println(shown + (shown == 1 ? " policy" : " policies")
                    + (namespace == null ? "" : " in namespace " + (namespace.isEmpty() ? "(none)" : namespace))
                    + ", store version " + list.getStoreVersion());
            out.flush();
            return 0;
        });
    }
}
