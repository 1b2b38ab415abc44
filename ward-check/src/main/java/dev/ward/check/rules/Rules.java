package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every rule, in id order. A plain list: adding a rule means adding it here (and to docs/check.md). */
public final class Rules {
    private static final List<Rule> ALL;

    static {
        List<Rule> all = new ArrayList<>(List.of(
                new EnvSecretName(),
                new EnvSecretValue(),
                new UserRoot(),
                new UserUnset(),
                new Privileged(),
                new WritableRootFilesystem(),
                new CapabilityAdded(),
                new SysPtraceAdded()));
        all.addAll(HostNamespaces.all());
        all.addAll(List.of(
                new NoLogConfiguration(),
                new NoHealthCheck(),
                new ImageFloatingTag(),
                new ImageNotDigest(),
                new UntrustedRegistry(),
                new SameExecutionAndTaskRole(),
                new NoTaskRole(),
                new StaticAwsKeys(),
                new EfsTransitEncryption(),
                new PublicIp(),
                new ExecuteCommand(),
                new PlatformVersion(),
                new NoRuntimeProtection(),
                new MeshPortExposed(),
                new MeshInboundNotStrict(),
                new MeshSecurityGroupOpen()));
        ALL = List.copyOf(all);
    }

    private Rules() {
    }

    public static List<Rule> all() {
        return ALL;
    }

    public static List<RuleInfo> infos() {
        return ALL.stream().map(Rule::info).toList();
    }

    public static Optional<RuleInfo> byId(String id) {
        return infos().stream().filter(i -> i.id().equals(id)).findFirst();
    }
}
