package dev.ward.relay;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * {@code --karmor-admin-listen}: a second listener, off by default, on which KubeArmor's policy service takes
 * changes without a token, because karmor cannot send one. What keeps this from being an unauthenticated
 * change on the network is that it binds to loopback only (an address that is not loopback is refused at
 * start) and that every call's peer is checked to be loopback too: only someone on the relay's own machine, or
 * who reached it through an SSM or SSH port forward (and so already authenticated to AWS or to the host), can
 * call it. It serves KubeArmor's policy service ({@code containerPolicy}, and {@code hostPolicy} and
 * {@code networkPolicy}, which answer NotEnabled) and nothing else.
 */
final class KarmorAdminListener implements ServerInterceptor {
    static final String METHOD = "policy.PolicyService/containerPolicy";
    private static final String SERVICE = "policy.PolicyService/";

    private final PrintStream log;

    KarmorAdminListener(PrintStream log) {
        this.log = log;
    }

    /**
     * {@code HOST:PORT} (or {@code [::1]:PORT}) when HOST is a loopback address; otherwise why not. A name is
     * resolved, and every address it resolves to must be loopback.
     */
    static InetSocketAddress parse(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--karmor-admin-listen " + value
                    + ": expected HOST:PORT on loopback, e.g. 127.0.0.1:32768");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--karmor-admin-listen " + value + ": the port must be 0-65535");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--karmor-admin-listen " + value + ": unknown host " + host);
        }
        for (InetAddress a : addresses) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("--karmor-admin-listen " + value + ": " + a.getHostAddress()
                        + " is not a loopback address; this listener takes policy changes without a token, so it "
                        + "only binds to loopback (127.0.0.1 or ::1): reach it through an SSM or SSH port forward");
            }
        }
        return new InetSocketAddress(addresses[0], port);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        Status denied = check(method, remote);
        if (denied != null) {
            log.println("ward relay: karmor admin listener refused " + method + " from " + remote + ": "
                    + denied.getDescription());
            call.close(denied, new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }

    /** Null when {@code remote} may call {@code method} here; otherwise why not. */
    static Status check(String method, SocketAddress remote) {
        if (method == null || !method.startsWith(SERVICE)) {
            return Status.PERMISSION_DENIED.withDescription("the karmor admin listener serves " + SERVICE
                    + "* only; use the relay's main port for " + method);
        }
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null
                || !inet.getAddress().isLoopbackAddress()) {
            return Status.PERMISSION_DENIED.withDescription("the karmor admin listener takes calls from loopback "
                    + "only (this one came from " + remote + ")");
        }
        return null;
    }
}
