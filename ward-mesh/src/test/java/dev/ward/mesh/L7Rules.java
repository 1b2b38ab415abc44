package dev.ward.mesh;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A "POST-only" authorizer for L7 tests: GET is denied, and so is a path starting with /deny; a path starting with /bad is a bad request, the rest is
 * allowed; traffic that is not HTTP is allowed only when {@link #unparsedAllowed} says so. {@link #l7} off makes it an
 * L4 authorizer (no parsing). Records what it was asked.
 */
final class L7Rules implements InboundAuthorizer {
    volatile boolean l7 = true;
    volatile boolean unparsedAllowed;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> unparsed = new CopyOnWriteArrayList<>();
    final AtomicInteger tunnels = new AtomicInteger();

    @Override
    public boolean allow(Request request) {
        tunnels.incrementAndGet();
        return true;
    }

    @Override
    public InboundHttp http(Request request) {
        if (!l7) {
            return null;
        }
        return new InboundHttp() {
            @Override
            public Verdict request(HttpHead head) {
                String path = head.path() == null ? null : head.path().toString();
                requests.add(head.method() + " " + path + " host=" + head.authority() + " " + head.version()
                        + " headers=" + head.headerCount());
                if (path != null && path.startsWith("/bad")) {
                    return Verdict.BAD_REQUEST;
                }
                boolean denied = "GET".contentEquals(head.method()) || path != null && path.startsWith("/deny");
                return denied ? Verdict.DENY : Verdict.ALLOW;
            }

            @Override
            public boolean unparsed(String why) {
                unparsed.add(why);
                return unparsedAllowed;
            }
        };
    }

    void clear() {
        requests.clear();
        unparsed.clear();
        tunnels.set(0);
        unparsedAllowed = false;
        l7 = true;
    }
}
