package dev.ward.relay;

import dev.ward.relay.api.Durations;
import dev.ward.relay.api.MeshEnrollRequest;
import dev.ward.relay.api.MeshEnrollResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ward mesh enroll NS/SA}: an enrollment token for the identity spiffe://TRUST_DOMAIN/ns/NS/sa/SA. The token
 * alone goes to stdout (for {@code TOKEN=$(ward mesh enroll ...)}), what it is for to stderr; the relay keeps only
 * its hash, so it cannot be shown again.
 */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Make an enrollment token for one mesh identity (for agents without AWS: WARD_MESH_TOKEN).",
            "Prints the token on stdout, once."})
public final class MeshEnrollCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RelayClientOptions relay = new RelayClientOptions();

    @Parameters(paramLabel = "NS/SA", description = "the identity's namespace and service account")
    String workload;

    @Option(names = "--valid", paramLabel = "DURATION", defaultValue = "24h",
            description = "how long new agents may enroll with it (default ${DEFAULT-VALUE})")
    String valid;

    @Option(names = "--uses", paramLabel = "N", defaultValue = "1",
            description = "how many agents may enroll with it (default ${DEFAULT-VALUE})")
    int uses;

    @Override
    public Integer call() throws IOException {
        String[] w = MeshCommand.workload(spec, workload);
        Duration d = Durations.parse(valid);
        if (d == null || d.isZero() || d.isNegative()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--valid " + valid
                    + ": expected a positive duration such as 1h or 7d");
        }
        if (uses < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--uses " + uses + ": expected 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int code = relay.admin(spec, true, stub -> {
            MeshEnrollResponse r = stub.withDeadlineAfter(RelayClientOptions.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .meshEnroll(MeshEnrollRequest.newBuilder().setNamespace(w[0]).setServiceAccount(w[1])
                            .setValidSeconds(d.toSeconds()).setUses(uses).build());
            out.println(r.getToken());
            err.println(r.getSpiffeId() + ": enrollment token for " + uses + (uses == 1 ? " agent" : " agents")
                    + ", until " + Instant.ofEpochMilli(r.getExpiresUnixMillis()) + ". Give it to the agent as "
                    + "WARD_MESH_TOKEN; it is not shown again.");
            return 0;
        });
        out.flush();
        err.flush();
        return code;
    }
}
