package dev.ward.relay;

import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.Problem;
import dev.ward.relay.api.ApplyRequest;
import dev.ward.relay.api.ApplyResponse;
import dev.ward.relay.api.PolicyResult;
import dev.ward.relay.api.policy.PolicyStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ward policy add FILE...}: validates on the relay, stores, and sends the policies to every
 * connected agent they select (KubeArmorPolicies by their selector, AuthorizationPolicies to every agent in the
 * mesh). Prints the linter's warnings first, then one line per policy; exit 0 when all were applied, 1 otherwise.
 */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Apply KubeArmorPolicy and AuthorizationPolicy files through the relay to every agent they "
                + "select.",
            "Needs the relay's admin token ($WARD_RELAY_ADMIN_TOKEN or --token-file)."})
public final class PolicyAddCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RelayClientOptions relay = new RelayClientOptions();

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "policy files or directories (*.yaml, *.yml)")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> all = new ArrayList<>();
        for (Path p : files) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                            .forEach(all::add);
                }
            } else if (Files.isReadable(p)) {
                all.add(p);
            } else {
                err.println(RelayClientOptions.prefix(spec) + p + ": cannot read the file");
                return 1;
            }
        }
        printWarnings(err, all);
        int code = relay.admin(spec, true, stub -> {
            boolean ok = true;
            for (Path f : all) {
                ApplyResponse r = stub.withDeadlineAfter(RelayClientOptions.DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .applyPolicies(ApplyRequest.newBuilder().setYaml(Files.readString(f)).setOrigin(f.toString())
                                .build());
                for (PolicyResult p : r.getResultsList()) {
                    ok &= print(out, err, f, p);
                }
            }
            return ok ? 0 : 1;
        });
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The linter's warnings (never-matching rules, ALLOW for any identity, what Istio would read differently),
     * as `ward policy lint` prints them: the relay stores what is valid, so only this side can say them. Errors
     * are left to the relay, which names them and stores nothing from that file.
     */
    private static void printWarnings(PrintWriter err, List<Path> files) {
        try {
            for (Problem w : Problem.inReadingOrder(PolicyLoader.loadAll(files).warnings())) {
                err.println(w.format("warning"));
                err.println();
            }
        } catch (PolicyException e) {
            // the relay reports these, file by file
        }
    }

    static boolean print(PrintWriter out, PrintWriter err, Path file, PolicyResult p) {
        if (p.getStatus() == PolicyStatus.Invalid || p.getStatus() == PolicyStatus.Failure) {
            err.println(p.getMessage());
            err.println(file + ": " + p.getStatus() + "; nothing from this file was applied");
            return false;
        }
        if (p.getUnchanged()) {
            out.println(name(p) + ": unchanged (version " + p.getVersion() + ")");
            return true;
        }
        out.println(name(p) + ": " + p.getStatus() + " (version " + p.getVersion() + ", sent to " + p.getAgents()
                + (p.getAgents() == 1 ? " agent)" : " agents)"));
        return true;
    }

    /** "NAMESPACE/NAME", prefixed with the kind for an AuthorizationPolicy. */
    static String name(PolicyResult p) {
        return (p.getKind().equals(dev.ward.relay.store.StoredPolicy.AUTHORIZATION) ? p.getKind() + " " : "")
                + (p.getNamespace().isEmpty() ? p.getName() : p.getNamespace() + "/" + p.getName());
    }
}
