package dev.ward.relay;

import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.model.CapabilityRule;
import dev.ward.policy.model.Effect;
import dev.ward.policy.model.PathRule;
import dev.ward.policy.model.ProtocolRule;
import dev.ward.policy.model.SyscallRule;
import dev.ward.policy.pack.PolicyPack;
import dev.ward.relay.api.ApplyRequest;
import dev.ward.relay.api.ApplyResponse;
import dev.ward.relay.api.PolicyResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * {@code ward policy pack list|show|apply}: the policy packs shipped with Ward ({@link PolicyPack}). {@code apply}
 * writes a pack's files to a directory (for {@code ward run --policy DIR} or {@code ward inject --policy}) or adds
 * them to the relay, as {@code ward policy add} does; {@code --block} turns its Audit rules into Block rules.
 */
@Command(name = "pack", mixinStandardHelpOptions = true,
        description = {"Ward's ready-made detection policies: list the packs, show one, apply it.",
            "ward run --pack default loads the default pack at start without any file."},
        subcommands = {PolicyPackCommand.ListPacks.class, PolicyPackCommand.Show.class, PolicyPackCommand.Apply.class})
public final class PolicyPackCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (expected: list, show or apply)");
    }

    /** The pack named {@code name}, or a usage error naming the packs there are. */
    static PolicyPack pack(CommandSpec spec, String name) {
        try {
            return PolicyPack.named(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The severity, tags and message of a pack policy's first rule (a pack policy's rules share them). */
    static Effect firstEffect(KubeArmorPolicy k) {
        return java.util.stream.Stream.of(k.process().stream().map(PathRule::effect),
                k.file().stream().map(PathRule::effect), k.network().stream().map(ProtocolRule::effect),
                k.capabilities().stream().map(CapabilityRule::effect), k.syscalls().stream().map(SyscallRule::effect))
                .flatMap(x -> x).findFirst().orElseThrow();
    }

    /** {@code ward policy pack list}: each pack, then each of its policies with severity, tags and message. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the packs and their policies.")
    static final class ListPacks implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws PolicyException {
            PrintWriter out = spec.commandLine().getOut();
            for (PolicyPack p : PolicyPack.all()) {
                out.println(p.name() + ": " + p.description());
                for (KubeArmorPolicy k : p.load(false)) {
                    Effect e = firstEffect(k);
                    out.printf("  %-26s severity %-2d %s  [%s]%n", k.name(), e.severity(), e.message(),
                            String.join(",", e.tags()));
                }
            }
            out.flush();
            return 0;
        }
    }

    /** {@code ward policy pack show NAME [--block]}: the pack's YAML, files separated by "---". */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a pack's policies as YAML.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the pack (ward policy pack list)")
        String name;

        @Option(names = "--block", description = "as Block policies instead of Audit")
        boolean block;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<PolicyPack.PackFile> files = pack(spec, name).files(block);
            for (int i = 0; i < files.size(); i++) {
                out.print((i == 0 ? "" : "---\n") + files.get(i).yaml());
            }
            out.flush();
            return 0;
        }
    }

    /** {@code ward policy pack apply NAME [--block] [--dir DIR]}: files in DIR, or policies on the relay. */
    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Write a pack's policies to --dir, or add them to the relay (as ward policy add; needs "
                + "the relay's admin token: $WARD_RELAY_ADMIN_TOKEN or --token-file).")
    static final class Apply implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RelayClientOptions relay = new RelayClientOptions();

        @Parameters(paramLabel = "NAME", description = "the pack (ward policy pack list)")
        String name;

        @Option(names = "--block", description = "Block what the rules match instead of only reporting it (Audit)")
        boolean block;

        @Option(names = "--dir", paramLabel = "DIR", description = "write one YAML file per policy here instead of "
                + "adding them to the relay")
        Path dir;

        @Option(names = "--force", description = "with --dir: replace files that exist with other content")
        boolean force;

        @Override
        public Integer call() throws IOException {
            List<PolicyPack.PackFile> files = pack(spec, name).files(block);
            return dir != null ? write(files) : add(files);
        }

        private int write(List<PolicyPack.PackFile> files) throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Files.createDirectories(dir);
            for (PolicyPack.PackFile f : files) {
                Path target = dir.resolve(f.fileName());
                if (!force && Files.exists(target) && !Files.readString(target).equals(f.yaml())) {
                    err.println(RelayClientOptions.prefix(spec) + target + " exists with other content (a copy you "
                            + "changed?); nothing was written: add --force to replace it");
                    err.flush();
                    return 1;
                }
            }
            for (PolicyPack.PackFile f : files) {
                Files.writeString(dir.resolve(f.fileName()), f.yaml(), StandardCharsets.UTF_8);
                out.println("wrote " + dir.resolve(f.fileName()));
            }
            out.flush();
            return 0;
        }

        private int add(List<PolicyPack.PackFile> files) throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int code = relay.admin(spec, true, stub -> {
                boolean ok = true;
                for (PolicyPack.PackFile f : files) {
                    ApplyResponse r = stub.withDeadlineAfter(RelayClientOptions.DEADLINE_SECONDS, TimeUnit.SECONDS)
                            .applyPolicies(ApplyRequest.newBuilder().setYaml(f.yaml())
                                    .setOrigin("pack:" + name + "/" + f.fileName()).build());
                    for (PolicyResult p : r.getResultsList()) {
                        ok &= PolicyAddCommand.print(out, err, Path.of("pack:" + name, f.fileName()), p);
                    }
                }
                return ok ? 0 : 1;
            });
            out.flush();
            err.flush();
            return code;
        }
    }
}
