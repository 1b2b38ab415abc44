package dev.ward.policy.istio;

import static dev.ward.policy.istio.Authz.authorizer;
import static dev.ward.policy.istio.Authz.from;
import static dev.ward.policy.istio.Authz.http;
import static dev.ward.policy.istio.Authz.ip;
import static dev.ward.policy.istio.Authz.policy;
import static dev.ward.policy.istio.Authz.shell;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every L4 and L7 field with Istio's string forms (exact, prefix, suffix, presence) and its not form. */
class FieldMatchingTest {

    private static WorkloadAuthorizer allowSource(String source) {
        return authorizer(policy("p", "ecs", "rules:\n- from:\n  - source: " + source + "\n"));
    }

    private static WorkloadAuthorizer allowOperation(String operation) {
        return authorizer(policy("p", "ecs", "rules:\n- to:\n  - operation: " + operation + "\n"));
    }

    private static WorkloadAuthorizer allowWhen(String key, String values) {
        return authorizer(policy("p", "ecs", "rules:\n- when:\n  - key: " + key + "\n    " + values + "\n"));
    }

    @Test
    void principalsWithAndWithoutSchemeAndTheFourForms() {
        String shell = "cluster.local/ns/ecs/sa/shell";
        assertThat(allowSource("{principals: [" + shell + "]}").decideL4(shell()).allowed()).isTrue();
        assertThat(allowSource("{principals: [" + shell + "]}").decideL4(from(shell, 1)).allowed()).isTrue();
        assertThat(allowSource("{principals: ['spiffe://" + shell + "']}").decideL4(shell()).allowed()).isTrue();
        assertThat(allowSource("{principals: ['cluster.local/ns/ecs/*']}").decideL4(shell()).allowed()).isTrue();
        assertThat(allowSource("{principals: ['*/sa/shell']}").decideL4(shell()).allowed()).isTrue();
        assertThat(allowSource("{principals: ['*/sa/shel']}").decideL4(shell()).allowed()).isFalse();
        assertThat(allowSource("{principals: ['*']}").decideL4(shell()).allowed()).isTrue();
        assertThat(allowSource("{principals: ['*']}").decideL4(from(null, 1)).allowed()).isFalse();
        assertThat(allowSource("{notPrincipals: ['*']}").decideL4(from(null, 1)).allowed()).isTrue();
        assertThat(allowSource("{notPrincipals: ['*/sa/shell']}").decideL4(shell()).allowed()).isFalse();
    }

    @Test
    void namespacesComeFromTheIdentity() {
        assertThat(allowSource("{namespaces: [ecs]}").decideL4(shell()).allowed()).isTrue();
        assertThat(allowSource("{namespaces: [ec]}").decideL4(shell()).allowed()).isFalse();
        assertThat(allowSource("{namespaces: ['e*']}").decideL4(shell()).allowed()).isTrue();
        assertThat(allowSource("{notNamespaces: [ecs]}").decideL4(shell()).allowed()).isFalse();
        assertThat(allowSource("{notNamespaces: [ecs]}").decideL4(from("td/ns/ops/sa/x", 1)).allowed()).isTrue();
        assertThat(allowSource("{namespaces: [ecs]}").decideL4(from(null, 1)).allowed()).isFalse();
        Connection separate = new Connection().peer("td/ns/ecs/sa/x", "ecs");
        assertThat(allowSource("{namespaces: [ecs]}").decideL4(separate).allowed()).isTrue();
    }

    @Test
    void ipBlocksV4AndV6SingleAndCidr() {
        assertThat(allowSource("{ipBlocks: [10.0.0.0/8]}").decideL4(shell()).allowed()).isTrue();
        assertThat(allowSource("{ipBlocks: [10.0.0.5]}").decideL4(shell()).allowed()).isTrue();
        assertThat(allowSource("{ipBlocks: [10.0.0.6]}").decideL4(shell()).allowed()).isFalse();
        assertThat(allowSource("{notIpBlocks: [10.0.0.0/30]}").decideL4(shell()).allowed()).isTrue();
        assertThat(allowSource("{notIpBlocks: [10.0.0.4/30]}").decideL4(shell()).allowed()).isFalse();
        Connection v6 = shell().sourceIp(ip("2001:db8::7"));
        assertThat(allowSource("{ipBlocks: ['2001:db8::/32']}").decideL4(v6).allowed()).isTrue();
        assertThat(allowSource("{ipBlocks: ['2001:db9::/32']}").decideL4(v6).allowed()).isFalse();
        assertThat(allowSource("{ipBlocks: [0.0.0.0/0]}").decideL4(v6).allowed()).isFalse();
        assertThat(allowSource("{ipBlocks: ['::/0']}").decideL4(v6).allowed()).isTrue();
        assertThat(allowSource("{ipBlocks: [10.0.0.0/8]}").decideL4(shell().sourceIp(ip("::ffff:10.1.2.3")))
                .allowed()).isTrue();
    }

    @Test
    void remoteIpBlocksFollowTheSourceUnlessAProxyToldTheClient() {
        assertThat(allowSource("{remoteIpBlocks: [10.0.0.5]}").decideL4(shell()).allowed()).isTrue();
        Connection proxied = shell().remoteIp(ip("198.51.100.7"));
        assertThat(allowSource("{remoteIpBlocks: [198.51.100.0/24]}").decideL4(proxied).allowed()).isTrue();
        assertThat(allowSource("{notRemoteIpBlocks: [198.51.100.0/24]}").decideL4(proxied).allowed()).isFalse();
        assertThat(allowSource("{remoteIpBlocks: [198.51.100.0/24]}").decideL4(proxied.clearRemoteIp()).allowed())
                .isFalse();
    }

    @Test
    void theInboundSidesAddressesFillAConnection() {
        var client = new java.net.InetSocketAddress(ip("10.0.0.5"), 40000);
        Connection c = new Connection().set("spiffe://cluster.local/ns/ecs/sa/shell", client,
                new java.net.InetSocketAddress(ip("10.0.1.9"), 8080));
        assertThat(allowWhen("destination.ip", "values: [10.0.1.9]").decideL4(c).allowed()).isTrue();
        assertThat(allowSource("{ipBlocks: [10.0.0.5], namespaces: [ecs]}").decideL4(c).allowed()).isTrue();
        c.set(null, client, java.net.InetSocketAddress.createUnresolved("echo-service.ecs.local", 8080));
        assertThat(allowWhen("destination.ip", "values: [10.0.1.9]").decideL4(c).allowed()).isFalse();
        assertThat(allowOperation("{ports: ['8080']}").decideL4(c).allowed()).isTrue();
        assertThat(allowSource("{namespaces: [ecs]}").decideL4(c).allowed()).isFalse();
    }

    @Test
    void portsAndNotPorts() {
        assertThat(allowOperation("{ports: ['8080', '9090']}").decideL4(shell()).allowed()).isTrue();
        assertThat(allowOperation("{ports: ['80']}").decideL4(shell()).allowed()).isFalse();
        assertThat(allowOperation("{notPorts: ['8080']}").decideL4(shell()).allowed()).isFalse();
        assertThat(allowOperation("{notPorts: ['80']}").decideL4(shell()).allowed()).isTrue();
    }

    @Test
    void whenKeysAtL4() {
        assertThat(allowWhen("source.ip", "values: [10.0.0.0/24]").decideL4(shell()).allowed()).isTrue();
        assertThat(allowWhen("source.ip", "notValues: [10.0.0.0/24]").decideL4(shell()).allowed()).isFalse();
        assertThat(allowWhen("source.namespace", "values: [ecs]").decideL4(shell()).allowed()).isTrue();
        assertThat(allowWhen("source.principal", "values: ['*/sa/shell']").decideL4(shell()).allowed()).isTrue();
        assertThat(allowWhen("source.principal", "notValues: ['spiffe://cluster.local/ns/ecs/sa/shell']")
                .decideL4(shell()).allowed()).isFalse();
        assertThat(allowWhen("destination.ip", "values: [10.0.1.9]").decideL4(shell()).allowed()).isTrue();
        assertThat(allowWhen("destination.ip", "values: [10.0.1.10]").decideL4(shell()).allowed()).isFalse();
        assertThat(allowWhen("destination.port", "values: ['8080']").decideL4(shell()).allowed()).isTrue();
        assertThat(allowWhen("destination.port", "values: ['8080']\n    notValues: ['8080']").decideL4(shell())
                .allowed()).isFalse();
    }

    @Test
    void pathsMatchWithoutTheQueryExactPrefixSuffixPresence() {
        WorkloadAuthorizer exact = allowOperation("{paths: [/orders]}");
        assertThat(exact.decideL7(shell(), http("GET", "/orders?id=1")).allowed()).isTrue();
        assertThat(exact.decideL7(shell(), http("GET", "/orders/1")).allowed()).isFalse();
        assertThat(exact.decideL7(shell(), http("GET", "/Orders")).allowed()).isFalse();
        WorkloadAuthorizer prefix = allowOperation("{paths: ['/api/*']}");
        assertThat(prefix.decideL7(shell(), http("GET", "/api/v1")).allowed()).isTrue();
        assertThat(prefix.decideL7(shell(), http("GET", "/api")).allowed()).isFalse();
        WorkloadAuthorizer suffix = allowOperation("{paths: ['*/info']}");
        assertThat(suffix.decideL7(shell(), http("GET", "/a/info#x")).allowed()).isTrue();
        assertThat(suffix.decideL7(shell(), http("GET", "/info?x=/info")).allowed()).isTrue();
        assertThat(suffix.decideL7(shell(), http("GET", "/infos")).allowed()).isFalse();
        WorkloadAuthorizer presence = allowOperation("{paths: ['*']}");
        assertThat(presence.decideL7(shell(), http("GET", "/")).allowed()).isTrue();
        WorkloadAuthorizer not = allowOperation("{notPaths: ['/admin*']}");
        assertThat(not.decideL7(shell(), http("GET", "/admin/x")).allowed()).isFalse();
        assertThat(not.decideL7(shell(), http("GET", "/public")).allowed()).isTrue();
    }

    @Test
    void pathsAreNormalizedAsIstiosDefaultBeforeMatching() {
        WorkloadAuthorizer deny = authorizer(policy("d", "ecs", "action: DENY\nrules:\n- to:\n"
                + "  - operation: {paths: ['/admin*']}\n"));
        for (String bypass : new String[] {"/public/../admin", "/./admin/x", "/%61dmin", "/%2e%2e/admin",
            "\\admin", "/a/b/../../../admin?x=1"}) {
            assertThat(deny.decideL7(shell(), http("GET", bypass)).allowed()).as(bypass).isFalse();
        }
        assertThat(deny.decideL7(shell(), http("GET", "/admin%2fx/../../y")).allowed()).isTrue();
        assertThat(http("GET", "/a/./b/../c/.").matchedPath()).isEqualTo("/a/c/");
        assertThat(http("GET", "/a/%2F/%41%7e%25").matchedPath()).isEqualTo("/a/%2F/A~%25");
        assertThat(http("GET", "/..").matchedPath()).isEqualTo("/");
        assertThat(http("GET", "/a//b").matchedPath()).isEqualTo("/a//b");
        assertThat(http("GET", "/x%00").badPath()).isTrue();
        assertThat(http("GET", "/x%0").badPath()).isFalse();
    }

    @Test
    void methodsAreCaseSensitive() {
        WorkloadAuthorizer a = allowOperation("{methods: [GET, HEAD]}");
        assertThat(a.decideL7(shell(), http("HEAD", "/")).allowed()).isTrue();
        assertThat(a.decideL7(shell(), http("get", "/")).allowed()).isFalse();
        assertThat(allowOperation("{notMethods: [DELETE]}").decideL7(shell(), http("DELETE", "/")).allowed())
                .isFalse();
    }

    @Test
    void hostsIgnoreCaseAndCompareTheWholeAuthorityAsIstioDoes() {
        WorkloadAuthorizer exact = allowOperation("{hosts: [echo-service.ecs.local]}");
        assertThat(exact.decideL7(shell(), http("GET", "/").authority("ECHO-Service.ecs.local")).allowed()).isTrue();
        // Istio compares the Host header as sent: with a port it needs "host:*" (OpenShift Service Mesh 2.x notes).
        assertThat(exact.decideL7(shell(), http("GET", "/")).allowed()).isFalse();
        WorkloadAuthorizer anyPort = allowOperation("{hosts: ['echo-service.ecs.local:*']}");
        assertThat(anyPort.decideL7(shell(), http("GET", "/")).allowed()).isTrue();
        WorkloadAuthorizer suffix = allowOperation("{hosts: ['*.ECS.local:8080']}");
        assertThat(suffix.decideL7(shell(), http("GET", "/")).allowed()).isTrue();
        WorkloadAuthorizer not = allowOperation("{notHosts: ['echo-service*']}");
        assertThat(not.decideL7(shell(), http("GET", "/")).allowed()).isFalse();
        assertThat(allowOperation("{hosts: ['*']}").decideL7(shell(), http("GET", "/").authority(null)).allowed())
                .isFalse();
    }

    @Test
    void headersExactPrefixSuffixPresenceAndNot() {
        String key = "request.headers[X-User]";
        HttpRequest alice = http("GET", "/").header("x-user", "alice@example.com");
        assertThat(allowWhen(key, "values: [alice@example.com]").decideL7(shell(), alice).allowed()).isTrue();
        assertThat(allowWhen(key, "values: ['alice*']").decideL7(shell(), alice).allowed()).isTrue();
        assertThat(allowWhen(key, "values: ['*@example.com']").decideL7(shell(), alice).allowed()).isTrue();
        assertThat(allowWhen(key, "values: ['*']").decideL7(shell(), alice).allowed()).isTrue();
        assertThat(allowWhen(key, "values: ['*']").decideL7(shell(), http("GET", "/")).allowed()).isFalse();
        assertThat(allowWhen(key, "values: [Alice@example.com]").decideL7(shell(), alice).allowed()).isFalse();
        assertThat(allowWhen(key, "notValues: ['alice*']").decideL7(shell(), alice).allowed()).isFalse();
        assertThat(allowWhen(key, "notValues: ['alice*']").decideL7(shell(), http("GET", "/")).allowed()).isTrue();
        // A repeated header is seen as its values joined with ',' (Istio's normalization page).
        HttpRequest twice = http("GET", "/").header("X-User", "bob").header("X-USER", "alice@example.com");
        assertThat(allowWhen(key, "values: [alice@example.com]").decideL7(shell(), twice).allowed()).isFalse();
        assertThat(allowWhen(key, "values: ['bob,alice@example.com']").decideL7(shell(), twice).allowed()).isTrue();
        assertThat(allowWhen(key, "values: ['bob,*', '*,alice@example.com']").decideL7(shell(), twice).allowed())
                .isTrue();
        assertThat(allowWhen(key, "values: [bob]").decideL7(shell(), twice.reset().method("GET").path("/"))
                .allowed()).isFalse();
    }
}
