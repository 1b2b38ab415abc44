package dev.ward.relay;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Who may call what, from "authorization: Bearer TOKEN" metadata. Every method the relay serves is in
 * exactly one group of {@link #GROUPS}; a method in none is refused (PERMISSION_DENIED, logged), so that a
 * service or method added later is closed until someone decides who may call it.
 * <ul>
 *   <li>{@link Group#AGENT}: the agent token (always required).</li>
 *   <li>{@link Group#ADMIN} (policy changes): the admin token. Without one configured, policy changes are
 *       refused: never an unauthenticated change.</li>
 *   <li>{@link Group#READ} (watching, listing): the read token or the admin token when a read token is set,
 *       else open, as KubeArmor's relay is for {@code karmor logs}.</li>
 * </ul>
 * Tokens are compared in constant time.
 */
final class Auth implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<String> REMOTE = Context.key("ward-remote");

    enum Group { AGENT, ADMIN, READ }

    /** Every method the relay serves, by its full gRPC name. */
    static final Map<String, Group> GROUPS = Map.ofEntries(
            Map.entry("ward.relay.v1.AgentRelay/Connect", Group.AGENT),
            Map.entry("ward.relay.v1.AgentRelay/SignCertificate", Group.AGENT),
            Map.entry("policy.PolicyService/containerPolicy", Group.ADMIN),
            Map.entry("policy.PolicyService/hostPolicy", Group.ADMIN),
            Map.entry("policy.PolicyService/networkPolicy", Group.ADMIN),
            Map.entry("ward.relay.v1.RelayAdmin/ApplyPolicies", Group.ADMIN),
            Map.entry("ward.relay.v1.RelayAdmin/DeletePolicy", Group.ADMIN),
            Map.entry("ward.relay.v1.RelayAdmin/MeshEnroll", Group.ADMIN),
            Map.entry("ward.relay.v1.RelayAdmin/MeshBind", Group.ADMIN),
            Map.entry("ward.relay.v1.RelayAdmin/MeshList", Group.ADMIN),
            Map.entry("ward.relay.v1.RelayAdmin/ListPolicies", Group.READ),
            Map.entry("ward.relay.v1.RelayAdmin/GetPolicy", Group.READ),
            Map.entry("ward.relay.v1.RelayAdmin/ListAgents", Group.READ),
            Map.entry("ward.relay.v1.RelayAdmin/Watch", Group.READ),
            Map.entry("feeder.LogService/HealthCheck", Group.READ),
            Map.entry("feeder.LogService/WatchMessages", Group.READ),
            Map.entry("feeder.LogService/WatchAlerts", Group.READ),
            Map.entry("feeder.LogService/WatchLogs", Group.READ));

    private final byte[] agentToken;
    private final byte[] adminToken;
    private final byte[] readToken;
    private final PrintStream log;

    Auth(String agentToken, String adminToken, String readToken, PrintStream log) {
        this.agentToken = bytes(agentToken);
        this.adminToken = bytes(adminToken);
        this.readToken = bytes(readToken);
        this.log = log;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        byte[] given = bearer(headers.get(AUTHORIZATION));
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        Status denied = check(method, given);
        if (denied != null) {
            if (!GROUPS.containsKey(method)) {
                log.println("ward relay: refused " + method + " from " + remote + ": the method is in no "
                        + "authorization group");
            }
            call.close(denied, new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        Context ctx = Context.current().withValue(REMOTE, remote == null ? "" : remote.toString());
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    /** Null when {@code given} may call {@code method}; otherwise why not. */
    Status check(String method, byte[] given) {
        Group group = GROUPS.get(method);
        if (group == null) {
            return Status.PERMISSION_DENIED.withDescription(method + " is not open to anyone on this relay");
        }
        return switch (group) {
            case AGENT -> matches(agentToken, given) ? null : Status.UNAUTHENTICATED.withDescription(
                    "the agent token is missing or wrong: give the agent the relay's agent token in WARD_RELAY_TOKEN");
            case ADMIN -> {
                if (adminToken == null) {
                    yield Status.PERMISSION_DENIED.withDescription((mesh(method)
                            ? "mesh administration is" : "policy changes are") + " disabled on this relay: "
                            + "start it with WARD_RELAY_ADMIN_TOKEN or --admin-token-file");
                }
                yield matches(adminToken, given) ? null : Status.UNAUTHENTICATED.withDescription(mesh(method)
                        ? "mesh administration needs the relay's admin token: set WARD_RELAY_ADMIN_TOKEN for ward mesh"
                        : "policy changes need the relay's admin token: set WARD_RELAY_ADMIN_TOKEN for ward policy");
            }
            case READ -> readToken == null || matches(readToken, given) || matches(adminToken, given) ? null
                    : Status.UNAUTHENTICATED.withDescription(
                            "this relay needs its read token: set WARD_RELAY_READ_TOKEN (or the admin token)");
        };
    }

    private static boolean mesh(String method) {
        return method.startsWith("ward.relay.v1.RelayAdmin/Mesh");
    }

    private static boolean matches(byte[] expected, byte[] given) {
        return expected != null && given != null && MessageDigest.isEqual(expected, given);
    }

    private static byte[] bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String token) {
        return token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
    }
}
