package dev.ward.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ward.relay.api.MeshBinding;
import dev.ward.relay.api.MeshListRequest;
import dev.ward.relay.api.MeshListResponse;
import dev.ward.relay.api.MeshWorkload;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ward mesh list}: the trust domain, the workloads the relays know, the role bindings, the trust roots. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Show the mesh: workloads and their addresses, role bindings, trust roots.")
public final class MeshListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RelayClientOptions relay = new RelayClientOptions();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (with the trust roots' PEM)")
    String output;

    @Override
    public Integer call() throws IOException {
        if (!output.equals("text") && !output.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-o " + output + ": expected text or json");
        }
        PrintWriter out = spec.commandLine().getOut();
        int code = relay.admin(spec, true, stub -> {
            MeshListResponse r = stub.withDeadlineAfter(RelayClientOptions.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .meshList(MeshListRequest.getDefaultInstance());
            if (output.equals("json")) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json(r)));
            } else {
                text(out, r);
            }
            return 0;
        });
        out.flush();
        return code;
    }

    private static void text(PrintWriter out, MeshListResponse r) {
        out.println("trust domain " + r.getTrustDomain() + ", " + r.getTrustRootsCount()
                + (r.getTrustRootsCount() == 1 ? " trust root, " : " trust roots, ") + r.getCertificatesIssued()
                + " certificates issued");
        out.println();
        Table workloads = new Table("IDENTITY", "NAME", "ADDRESSES", "PORT", "AGENT");
        for (MeshWorkload w : r.getWorkloadsList()) {
            workloads.row(w.getSpiffeId(), w.getName(), String.join(",", w.getAddressesList()), w.getHbonePort(),
                    w.getAgentId());
        }
        workloads.print(out);
        out.println(r.getWorkloadsCount() + (r.getWorkloadsCount() == 1 ? " workload" : " workloads"));
        out.println();
        Table bindings = new Table("IDENTITY", "ROLES");
        for (MeshBinding b : r.getBindingsList()) {
            bindings.row(b.getSpiffeId(), String.join(", ", b.getRoleArnsList()));
        }
        bindings.print(out);
        out.println(r.getBindingsCount() + (r.getBindingsCount() == 1 ? " bound identity" : " bound identities"));
    }

    private static Map<String, Object> json(MeshListResponse r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trustDomain", r.getTrustDomain());
        m.put("certificatesIssued", r.getCertificatesIssued());
        List<Map<String, Object>> workloads = new ArrayList<>();
        for (MeshWorkload w : r.getWorkloadsList()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("spiffeId", w.getSpiffeId());
            x.put("name", w.getName());
            x.put("addresses", w.getAddressesList());
            x.put("hbonePort", w.getHbonePort());
            x.put("agentId", w.getAgentId());
            workloads.add(x);
        }
        m.put("workloads", workloads);
        List<Map<String, Object>> bindings = new ArrayList<>();
        for (MeshBinding b : r.getBindingsList()) {
            bindings.add(Map.of("spiffeId", b.getSpiffeId(), "roleArns", b.getRoleArnsList()));
        }
        m.put("bindings", bindings);
        m.put("trustRoots", r.getTrustRootsList());
        return m;
    }
}
