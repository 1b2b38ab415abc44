package dev.ward.relay;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A policy named on the command line as kubectl takes it: {@code NAME} with {@code -n NAMESPACE}, or
 * {@code NAMESPACE/NAME} (the form {@code ward policy list} prints). Without either, the policy has no
 * namespace (its YAML had no {@code metadata.namespace}).
 */
record PolicyName(String namespace, String name) {
    static PolicyName parse(CommandSpec spec, String namespaceOption, String arg) {
        int slash = arg.indexOf('/');
        if (slash < 0) {
            return new PolicyName(namespaceOption == null ? "" : namespaceOption, arg);
        }
        String ns = arg.substring(0, slash);
        String name = arg.substring(slash + 1);
        if (ns.isEmpty() || name.isEmpty() || name.contains("/")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "'" + arg + "': expected NAME or NAMESPACE/NAME");
        }
        if (namespaceOption != null && !namespaceOption.equals(ns)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "'" + arg + "' is in namespace " + ns
                    + " but -n says " + (namespaceOption.isEmpty() ? "none" : namespaceOption) + ": give one of them");
        }
        return new PolicyName(ns, name);
    }
}
