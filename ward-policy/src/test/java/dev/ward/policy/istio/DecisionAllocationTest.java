package dev.ward.policy.istio;

import static dev.ward.policy.istio.Authz.from;
import static dev.ward.policy.istio.Authz.http;
import static dev.ward.policy.istio.Authz.policy;
import static dev.ward.policy.istio.Authz.shell;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * L4 and L7 decisions do not allocate when no AUDIT or dry-run policy matches: a million of them allocate (almost)
 * nothing on the deciding thread. One allocation per decision would show up as at least 16 MB.
 */
class DecisionAllocationTest {
    private static final String POLICIES = policy("deny", "ecs", """
            action: DENY
            rules:
            - from:
              - source: {ipBlocks: [192.168.0.0/16, '2001:db8::/32'], notNamespaces: [ecs, ops]}
            - to:
              - operation: {paths: ['/admin*'], notMethods: [GET]}
              when:
              - key: request.headers[x-debug]
                values: ['*']
            """) + policy("allow", "ecs", """
            rules:
            - from:
              - source: {principals: ['*/sa/shell', cluster.local/ns/ops/sa/admin], notIpBlocks: [10.9.0.0/16]}
              to:
              - operation: {ports: ['8080'], methods: [GET, POST], paths: ['/orders*', '*/health'],
                            hosts: ['echo-service.ecs.local:*']}
              when:
              - key: destination.port
                values: ['8080']
              - key: request.headers[content-type]
                notValues: ['text/*']
            - from:
              - source: {namespaces: [ops]}
            """);

    @Test
    void decisionsDoNotAllocate() {
        WorkloadAuthorizer a = Authz.authorizer(POLICIES);
        Connection[] connections = {shell(), from("cluster.local/ns/ops/sa/admin", 8080), from(null, 8080)};
        HttpRequest[] requests = {
                http("POST", "/orders/1?x=2").header("Content-Type", "application/json"),
                http("GET", "/a/health").header("x-debug", "1"),
                http("DELETE", "/admin/users").header("content-type", "text/plain"),
        };
        long sink = run(a, connections, requests, 200_000);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        sink += run(a, connections, requests, 1_000_000);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated by 1,000,000 decisions").isLessThan(64 * 1024);
    }

    private static long run(WorkloadAuthorizer a, Connection[] cs, HttpRequest[] rs, int n) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            Connection c = cs[i % cs.length];
            Decision d = (i & 1) == 0 ? a.decideL4(c) : a.decideL7(c, rs[i % rs.length]);
            sink += d.allowed() ? 2 : 1;
        }
        return sink;
    }
}
