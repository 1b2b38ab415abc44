package dev.ward.policy.istio;

/**
 * The L7 facts of one HTTP request, reusable and owned by one thread. Values are {@link CharSequence}s so that a
 * parser's buffers (Netty's {@code AsciiString}) can be passed without copying; they are read only during
 * {@link WorkloadAuthorizer#decideL7} and not kept.
 *
 * <pre>{@code
 * HttpRequest h = new HttpRequest();
 * h.reset().method("POST").path("/orders?id=1").authority("echo:8080").header("x-user", "alice");
 * }</pre>
 *
 * <p>Paths are matched without their query ({@code ?...}) or fragment, normalized as Istio's default does. Header
 * names compare ignoring ASCII case; a header given several times is matched as its values joined with ',', as
 * Envoy does.
 */
public final class HttpRequest {
    static final int MAX_HEADERS = 128;

    CharSequence method;
    CharSequence path;
    int pathEnd;
    boolean badPath;
    private final StringBuilder normalized = new StringBuilder(64);
    final JoinedValues joined = new JoinedValues(this);
    CharSequence authority;
    final CharSequence[] names = new CharSequence[MAX_HEADERS];
    final CharSequence[] values = new CharSequence[MAX_HEADERS];
    int headers;

    /** Forgets the previous request. */
    public HttpRequest reset() {
        method = null;
        path = null;
        badPath = false;
        authority = null;
        for (int i = 0; i < headers; i++) {
            names[i] = null;
            values[i] = null;
        }
        headers = 0;
        return this;
    }

    public HttpRequest method(CharSequence m) {
        method = m;
        return this;
    }

    /**
     * The request target as sent (origin form), query included. Matching stops at '?' or '#' and sees the path
     * normalized as Istio's default does ({@link PathNormalizer}); a path Istio refuses ({@code %00}) makes
     * {@link #badPath()} true.
     */
    public HttpRequest path(CharSequence p) {
        path = p;
        badPath = false;
        pathEnd = p == null ? 0 : p.length();
        for (int i = 0; p != null && i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '?' || c == '#') {
                pathEnd = i;
                break;
            }
        }
        if (p != null && PathNormalizer.needed(p, pathEnd)) {
            badPath = !PathNormalizer.normalize(p, pathEnd, normalized);
            path = normalized;
            pathEnd = normalized.length();
        }
        return this;
    }

    /**
     * Whether the path holds {@code %00}, which Istio refuses with 400 before any policy: the proxy should answer
     * 400 without asking for a decision.
     */
    public boolean badPath() {
        return badPath;
    }

    /** The path as policies see it: normalized, without query or fragment (allocates; for logs and tests). */
    public String matchedPath() {
        return path == null ? null : path.subSequence(0, pathEnd).toString();
    }

    /** {@code :authority} (HTTP/2) or {@code Host} (HTTP/1.1), with the port if the client sent one. */
    public HttpRequest authority(CharSequence a) {
        authority = a;
        return this;
    }

    /** Adds a header; headers beyond 128 are ignored (a request that long is refused earlier by the parser). */
    public HttpRequest header(CharSequence name, CharSequence value) {
        if (headers < MAX_HEADERS) {
            names[headers] = name;
            values[headers] = value;
            headers++;
        }
        return this;
    }

    @Override
    public String toString() {
        return method + " " + path + " host=" + authority;
    }
}
