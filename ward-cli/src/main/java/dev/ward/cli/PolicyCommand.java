package dev.ward.cli;

import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyFiles;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ward policy}: tools for KubeArmorPolicy and Istio AuthorizationPolicy files ({@code lint}), the relay's
 * policy store ({@code add}, {@code delete}, {@code list}, {@code get}, in ward-relay) and Ward's policy packs
 * ({@code pack}, in ward-relay).
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Work with KubeArmorPolicy (security.kubearmor.com/v1) and AuthorizationPolicy "
                + "(security.istio.io/v1) files.",
        subcommands = {PolicyCommand.Lint.class, dev.ward.relay.PolicyAddCommand.class,
            dev.ward.relay.PolicyDeleteCommand.class, dev.ward.relay.PolicyListCommand.class,
            dev.ward.relay.PolicyGetCommand.class, dev.ward.relay.PolicyPackCommand.class})
public final class PolicyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        // A group command: without a subcommand, say which ones exist (exit code 2, like any usage error).
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand (expected: lint, add, list, get, delete or pack)");
    }

    /**
     * {@code ward policy lint FILE...}: validates files and directories (KubeArmorPolicy and AuthorizationPolicy
     * documents, mixed as they come) the way the agent loads them and prints
     * every problem as {@code file:line:col: error[CODE]: message (what was expected)} with the offending line.
     * Exit 0 when everything is valid, 1 when there are problems, 2 on usage errors.
     */
    @Command(name = "lint", mixinStandardHelpOptions = true,
            description = "Check KubeArmorPolicy and Istio AuthorizationPolicy files against their CRD rules and "
                + "Ward's support. Directories contribute their *.yaml and *.yml files. Every problem is printed, "
                + "warnings too; the exit code is 0 when all files are valid (warnings or not), 1 otherwise.")
    static final class Lint implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "policy files or directories")
        List<Path> files;

        @Option(names = {"-q", "--quiet"}, description = "print nothing when everything is valid")
        boolean quiet;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                PolicyFiles loaded = PolicyLoader.loadAll(files);
                for (Problem w : Problem.inReadingOrder(loaded.warnings())) {
                    err.println(w.format("warning"));
                    err.println();
                }
                err.flush();
                if (!quiet) {
                    out.println("ok: " + summary(loaded));
                }
                out.flush();
                return 0;
            } catch (PolicyException e) {
                for (Problem p : Problem.inReadingOrder(e.problems())) {
                    err.println(p.format());
                    err.println();
                }
                int n = e.problems().size();
                err.println(n + (n == 1 ? " error" : " errors") + "; no policy was applied");
                err.flush();
                return 1;
            }
        }

        /** "1 policy, 2 rules" as before AuthorizationPolicies, then theirs and the warnings when there are any. */
        private static String summary(PolicyFiles loaded) {
            List<KubeArmorPolicy> policies = loaded.kubeArmor();
            int authz = loaded.authorization().size();
            int warnings = loaded.warnings().size();
            List<String> parts = new java.util.ArrayList<>();
            if (!policies.isEmpty() || authz == 0) {
                int rules = policies.stream().mapToInt(KubeArmorPolicy::ruleCount).sum();
                parts.add(policies.size() + (policies.size() == 1 ? " policy, " : " policies, ") + rules
                        + (rules == 1 ? " rule" : " rules"));
            }
            if (authz > 0) {
                parts.add(authz + (authz == 1 ? " AuthorizationPolicy" : " AuthorizationPolicies"));
            }
            if (warnings > 0) {
                parts.add(warnings + (warnings == 1 ? " warning" : " warnings"));
            }
            return String.join(", ", parts);
        }
    }
}
