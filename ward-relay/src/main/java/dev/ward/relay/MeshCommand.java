package dev.ward.relay;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ward mesh}: the relay's mesh administration (admin token): {@code enroll} makes an enrollment token for one
 * identity, {@code bind} says which AWS roles may hold an identity, {@code list} shows the mesh.
 */
@Command(name = "mesh", mixinStandardHelpOptions = true,
        description = "Administer the mesh's identities on the relay (needs $WARD_RELAY_ADMIN_TOKEN).",
        subcommands = {MeshEnrollCommand.class, MeshBindCommand.class, MeshListCommand.class},
        footer = {"", "Examples:", "  ward mesh enroll shop/cart --valid 1h --uses 3",
            "  ward mesh bind shop/cart --role arn:aws:iam::123456789012:role/cart-task",
            "  ward mesh list -o json"})
public final class MeshCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing subcommand (expected: enroll, bind or list)");
    }

    /** {@code NS/SA} split, or a usage error naming what was expected. */
    static String[] workload(CommandSpec spec, String nsSlashSa) {
        String[] parts = nsSlashSa.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "'" + nsSlashSa
                    + "': expected NAMESPACE/SERVICE_ACCOUNT, e.g. shop/cart");
        }
        return parts;
    }
}
