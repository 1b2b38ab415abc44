package dev.ward.mesh;

/**
 * Decides the HTTP requests of one inbound tunnel (from {@link InboundAuthorizer#http}). Owned by the tunnel: called
 * on its event-loop thread only, one call at a time, never blocking.
 *
 * <pre>{@code
 * InboundHttp http = new InboundHttp() {
 *     public Verdict request(HttpHead head) {
 *         return "POST".contentEquals(head.method()) ? Verdict.ALLOW : Verdict.DENY;   // DENY: 403
 *     }
 *     public boolean unparsed(String why) {
 *         return false;                                                            // the tunnel is reset
 *     }
 * };
 * }</pre>
 */
public interface InboundHttp {

    /** What becomes of one request. */
    enum Verdict {
        /** Forwarded to the application as it was sent. */
        ALLOW,
        /** Answered {@code 403 RBAC: access denied}; an HTTP/1.1 connection closes after the answer. */
        DENY,
        /** Answered 400 (a path the policies must not see, such as one with {@code %00}); then closed. */
        BAD_REQUEST
    }

    /** One request (HTTP/1.x, or one HTTP/2 stream's HEADERS), whose head is valid only during the call. */
    Verdict request(HttpHead head);

    /**
     * The tunnel's traffic (from here on) is not HTTP: {@code why} says what it is ({@code not http},
     * {@code upgrade} after an upgrade or CONNECT request, {@code h2c after HTTP/1.1}). True lets the rest pass
     * unparsed; false resets the tunnel (after an upgrade: ends what the client sends). HTTP/2 with prior knowledge
     * is not this: its streams are decided one by one with {@link #request}.
     */
    boolean unparsed(String why);
}
