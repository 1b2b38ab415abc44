package dev.ward.relay;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Who may call what, from "authorization: Bearer TOKEN" metadata:
 * <ul>
 *   <li>AgentRelay/Connect: the agent token (always required).</li>
 *   <li>Policy changes (PolicyService/containerPolicy, RelayAdmin ApplyPolicies and DeletePolicy): the admin
 *       token. Without one configured, policy changes are refused: never an unauthenticated change.</li>
 *   <li>Everything else (watching, listing): the read token or the admin token when a read token is set,
 *       else open, as KubeArmor's relay is for {@code karmor logs}.</li>
 * </ul>
 * Tokens are compared in constant time.
 */
final class Auth implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<String> REMOTE = Context.key("ward-remote");

    private static final String AGENT_METHOD = "ward.relay.v1.AgentRelay/Connect";
    private static final Set<String> ADMIN_METHODS = Set.of("policy.PolicyService/containerPolicy",
            "ward.relay.v1.RelayAdmin/ApplyPolicies", "ward.relay.v1.RelayAdmin/DeletePolicy");

    private final byte[] agentToken;
    private final byte[] adminToken;
    private final byte[] readToken;

    Auth(String agentToken, String adminToken, String readToken) {
        this.agentToken = bytes(agentToken);
        this.adminToken = bytes(adminToken);
        this.readToken = bytes(readToken);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        byte[] given = bearer(headers.get(AUTHORIZATION));
        Status denied = check(method, given);
        if (denied != null) {
            call.close(denied, new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        Context ctx = Context.current().withValue(REMOTE, remote == null ? "" : remote.toString());
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    Status check(String method, byte[] given) {
        if (AGENT_METHOD.equals(method)) {
            return matches(agentToken, given) ? null : Status.UNAUTHENTICATED.withDescription(
                    "the agent token is missing or wrong: give the agent the relay's agent token in WARD_RELAY_TOKEN");
        }
        if (ADMIN_METHODS.contains(method)) {
            if (adminToken == null) {
                return Status.PERMISSION_DENIED.withDescription("policy changes are disabled on this relay: start "
                        + "it with WARD_RELAY_ADMIN_TOKEN or --admin-token-file");
            }
            return matches(adminToken, given) ? null : Status.UNAUTHENTICATED.withDescription(
                    "policy changes need the relay's admin token: set WARD_RELAY_ADMIN_TOKEN for ward policy");
        }
        if (readToken == null || matches(readToken, given) || matches(adminToken, given)) {
            return null;
        }
        return Status.UNAUTHENTICATED.withDescription(
                "this relay needs its read token: set WARD_RELAY_READ_TOKEN (or the admin token)");
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
