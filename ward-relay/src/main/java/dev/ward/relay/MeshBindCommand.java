package dev.ward.relay;

import dev.ward.relay.api.MeshBindRequest;
import dev.ward.relay.api.MeshBindResponse;
import java.io.IOException;
import java.io.PrintWriter;
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
 * {@code ward mesh bind NS/SA --role ARN [--remove]}: which AWS IAM role may hold the identity (an agent proves its
 * task role with a presigned sts:GetCallerIdentity). Prints the identity's roles afterwards.
 */
@Command(name = "bind", mixinStandardHelpOptions = true,
        description = {"Bind an AWS IAM role to a mesh identity: tasks running with that role get the identity.",
            "--remove drops the binding (without --role: every binding of the identity)."})
public final class MeshBindCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RelayClientOptions relay = new RelayClientOptions();

    @Parameters(paramLabel = "NS/SA", description = "the identity's namespace and service account")
    String workload;

    @Option(names = "--role", paramLabel = "ARN", description = "arn:aws:iam::ACCOUNT:role/NAME")
    String role;

    @Option(names = "--remove", description = "remove the binding instead")
    boolean remove;

    @Override
    public Integer call() throws IOException {
        String[] w = MeshCommand.workload(spec, workload);
        if (role == null && !remove) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--role ARN is required (or --remove)");
        }
        PrintWriter out = spec.commandLine().getOut();
        int code = relay.admin(spec, true, stub -> {
            MeshBindResponse r = stub.withDeadlineAfter(RelayClientOptions.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .meshBind(MeshBindRequest.newBuilder().setNamespace(w[0]).setServiceAccount(w[1])
                            .setRoleArn(role == null ? "" : role).setRemove(remove).build());
            out.println(r.getSpiffeId() + ": " + (r.getRoleArnsCount() == 0 ? "no role bound"
                    : "bound to " + String.join(", ", r.getRoleArnsList())));
            return 0;
        });
        out.flush();
        return code;
    }
}
