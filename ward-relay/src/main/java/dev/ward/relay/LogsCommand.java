package dev.ward.relay;

import dev.ward.relay.api.Durations;
import dev.ward.relay.api.RelayAdminGrpc;
import dev.ward.relay.api.WatchBatch;
import dev.ward.relay.api.WatchEvent;
import dev.ward.relay.api.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ward logs}: alerts and logs from every agent of the relay, live; with {@code --since} the stored
 * history first. The karmor equivalent is {@code karmor logs --gRPC=RELAY:32767}.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Stream alerts and logs from the relay (live; with --since, the stored history first)."})
public final class LogsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RelayClientOptions relay = new RelayClientOptions();

    @Option(names = {"--log-filter", "--logFilter"}, paramLabel = "FILTER", defaultValue = "policy",
            description = "policy (alerts), system (logs) or all; default ${DEFAULT-VALUE}")
    String filter;

    @Option(names = "--json", description = "same as -o json")
    boolean jsonFlag;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json (one object per line, as the agent writes), pretty-json, or falco (Falco's JSON "
                    + "alert shape, one per line)")
    String output;

    @Option(names = "--container", paramLabel = "NAME", description = "only this container")
    String container = "";

    @Option(names = "--operation", paramLabel = "OP", description = "only Process, File, Network, ...")
    String operation = "";

    @Option(names = "--namespace", paramLabel = "NAME",
            description = "only this NamespaceName (a pod's namespace; on ECS the cluster)")
    String namespace = "";

    @Option(names = "--pod", paramLabel = "NAME", description = "only this pod")
    String pod = "";

    @Option(names = "--task", paramLabel = "ARN|ID", description = "only this ECS task (its ARN or task ID)")
    String task = "";

    @Option(names = "--image", paramLabel = "IMAGE",
            description = "only this container image (with or without its tag or digest)")
    String image = "";

    @Option(names = "--since", paramLabel = "DURATION", description = "stored events from this long ago (30s, 10m, 2h)")
    String since;

    @Option(names = "--limit", paramLabel = "N", description = "stop after N events")
    int limit;

    @Option(names = "--no-follow", description = "print what is stored (from --since, else all of it) and stop")
    boolean noFollow;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EventPrinter.Format format = switch (jsonFlag ? "json" : output) {
            case "text" -> EventPrinter.Format.text;
            case "json" -> EventPrinter.Format.json;
            case "pretty-json" -> EventPrinter.Format.pretty_json;
            case "falco" -> EventPrinter.Format.falco;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown output '" + output + "' (expected text, json, pretty-json or falco)");
        };
        long sinceNanos = 0;
        if (since != null) {
            Duration d = Durations.parse(since);
            if (d == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--since " + since + ": expected a duration such as 30s, 10m or 2h");
            }
            sinceNanos = Math.max(1, System.currentTimeMillis() * 1_000_000L - d.toNanos());
        } else if (noFollow) {
            sinceNanos = 1; // everything stored: without a follow, a history is all there is to print
        }
        WatchRequest request = WatchRequest.newBuilder().setFilter(filter).setContainer(container)
                .setOperation(operation).setSinceUnixNanos(sinceNanos).setLimit(Math.max(0, limit))
                .setFollow(!noFollow).setNamespace(namespace).setPod(pod).setTask(task).setImage(image).build();
        EventPrinter printer = new EventPrinter(out, format);
        ManagedChannel channel = relay.channel();
        try {
            var stub = RelayAdminGrpc.newBlockingStub(channel).withCallCredentials(relay.credentials(false));
            if (!noFollow && !filter.equals("policy")) {
                LogSenders.warnIfNone(stub, err);
            }
            Iterator<WatchBatch> batches = stub.watch(request);
            while (batches.hasNext()) {
                for (WatchEvent e : batches.next().getEventsList()) {
                    if (e.hasDropped()) {
                        err.println(RelayClientOptions.prefix(spec) + FeederService.droppedText(
                                e.getDropped().getCount(), e.getDropped().getTotal()));
                        err.flush();
                    } else {
                        printer.print(e);
                    }
                }
                if (outputClosed(out)) {
                    return 0; // ward logs | head -n 3: the reader is gone, so is the reason to stream
                }
            }
            return 0;
        } catch (StatusRuntimeException e) {
            err.println(RelayClientOptions.prefix(spec) + relay.explain(e));
            err.flush();
            return 1;
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * True once writing failed (EPIPE when the pipe's reader exited). PrintWriter and PrintStream swallow
     * the IOException and only remember it; picocli's writer wraps System.out, which keeps its own flag.
     */
    static boolean outputClosed(PrintWriter out) {
        return out.checkError() || System.out.checkError();
    }
}
