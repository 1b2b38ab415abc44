package dev.ward.policy;

import static dev.ward.policy.Policies.action;
import static dev.ward.policy.Policies.file;
import static dev.ward.policy.Policies.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policies under src/test/resources/policies load, lint clean, and decide as their comments say. */
class GoldenPoliciesTest {
    private static final ContainerIdentity ARMORED = ContainerIdentity.named("armored-container");

    @Test
    void everyGoldenPolicyLoads() throws Exception {
        List<KubeArmorPolicy> all = PolicyLoader.load(List.of(Policies.RESOURCES));
        try (var files = Files.list(Policies.RESOURCES)) {
            assertThat(files.count()).isEqualTo(6);
        }
        assertThat(all).extracting(KubeArmorPolicy::name).containsExactly(
                "ecs-block-trusted-cert-modification", "ecs-block-package-management", "ecs-block-ls",
                "ksp-armored-lenient-allow-sa", "ksp-stig-mysql-config-owner-only", "ksp-block-miner-dropper",
                "ksp-net-tcp-only-curl");
    }

    @Test
    void serviceAccountTokenLenientAllow_catReadsHeadIsBlockedOtherFilesStayOpen() {
        PolicySet set = resource("sa-token-lenient-allow.yaml", ARMORED, Posture.defaults());
        String token = "/run/secrets/kubernetes.io/serviceaccount/token";

        Match cat = set.file(file("/usr/bin/cat", token));
        assertThat(action(cat)).isEqualTo(Action.ALLOW);

        Match head = set.file(file("/usr/bin/head", token));
        assertThat(head.action()).isEqualTo(Action.BLOCK);
        assertThat(head.policyName()).isEqualTo("ksp-armored-lenient-allow-sa");
        assertThat(head.severity()).isEqualTo(7);
        assertThat(head.tags()).containsExactly("NIST");
        assertThat(head.message()).isEqualTo("sa token malicious accessed");
        assertThat(head.operation()).isEqualTo(Operation.FILE);
        assertThat(head.defaultPosture()).isFalse();
        assertThat(head.rule()).isEqualTo("file.matchDirectories[0]");
        assertThat(head.location()).endsWith("sa-token-lenient-allow.yaml:20:9");

        assertThat(action(set.file(file("/usr/bin/head", "/etc/passwd")))).isEqualTo(Action.ALLOW);
        assertThat(action(set.file(file("/usr/bin/cat", "/etc/passwd")))).isEqualTo(Action.ALLOW);
        // The token's directory listing is protected too (the directory itself is inside its own rule).
        assertThat(action(set.file(file("/usr/bin/ls", "/run/secrets/kubernetes.io/serviceaccount"))))
                .isEqualTo(Action.BLOCK);

        // Executions: /usr/bin is allowed, anything else falls to the default posture (audit by default).
        assertThat(action(set.process(file("/usr/bin/bash", "/usr/bin/head")))).isEqualTo(Action.ALLOW);
        Match other = set.process(file("/usr/bin/bash", "/opt/tool"));
        assertThat(other.defaultPosture()).isTrue();
        assertThat(other.policyName()).isEqualTo("DefaultPosture");
        assertThat(other.action()).isEqualTo(Action.AUDIT);
    }

    @Test
    void serviceAccountPolicyIgnoresOtherContainers() {
        PolicySet set = resource("sa-token-lenient-allow.yaml", ContainerIdentity.named("sidecar"),
                Posture.defaults());
        assertThat(set.ruleCount()).isZero();
        assertThat(set.file(file("/usr/bin/head", "/run/secrets/kubernetes.io/serviceaccount/token"))).isNull();
    }

    @Test
    void ecsSampleBlocksCertificateStores() {
        PolicySet set = resource("ecs-block-cert-modification.yaml", ARMORED, Posture.defaults());
        Match write = set.file(file("/usr/bin/bash", "/etc/ssl/certs/my-key.pem").write(true));
        assertThat(write.action()).isEqualTo(Action.BLOCK);
        assertThat(write.message()).isEqualTo("Credentials modification denied");
        assertThat(write.severity()).isEqualTo(1);
        assertThat(write.tags()).containsExactly("MITRE", "MITRE_T1552_unsecured_credentials");
        assertThat(action(set.file(file("/usr/bin/cat", "/usr/local/share/ca-certificates/x/y.crt"))))
                .isEqualTo(Action.BLOCK);
        assertThat(set.file(file("/usr/bin/cat", "/etc/hostname"))).isNull();
        assertThat(set.file(file("/usr/bin/cat", "/etc/ssl2/x"))).isNull();
        assertThat(set.allowList(Operation.FILE)).isFalse();
    }

    @Test
    void ecsProcessBlocks() {
        PolicySet set = resource("ecs-block-package-management.yaml", ARMORED, Posture.defaults());
        assertThat(set.policyNames()).containsExactly("ecs-block-package-management", "ecs-block-ls");
        Match apt = set.process(file("/bin/bash", "/usr/bin/apt-get"));
        assertThat(apt.action()).isEqualTo(Action.BLOCK);
        assertThat(apt.severity()).isEqualTo(5);
        assertThat(apt.message()).isEqualTo("package management is not allowed in this container");
        assertThat(action(set.process(file("/usr/bin/apt", "/usr/lib/apt/methods/http")))).isEqualTo(Action.BLOCK);
        assertThat(action(set.process(file("/bin/bash", "/bin/ls")))).isEqualTo(Action.BLOCK);
        assertThat(action(set.process(file("/bin/dash", "/usr/bin/wget")))).isEqualTo(Action.BLOCK);
        assertThat(set.process(file("/usr/bin/python3", "/usr/bin/wget"))).isNull();
        assertThat(set.process(file("/bin/bash", "/usr/bin/cat"))).isNull();
        // "*" selects every container; the named policy does not.
        PolicySet other = resource("ecs-block-package-management.yaml", ContainerIdentity.named("x"),
                Posture.defaults());
        assertThat(other.policyNames()).containsExactly("ecs-block-ls");
    }

    @Test
    void malwareTemplate() {
        var shop = new ContainerIdentity("shop-1", Map.of("app", "shop"));
        PolicySet set = resource("template-block-malware-dropper.yaml", shop, Posture.defaults());
        assertThat(action(set.file(file("/bin/sh", "/var/tmp/x/xmrig-6.2")))).isEqualTo(Action.BLOCK);
        assertThat(action(set.file(file("/bin/sh", "/xmrig")))).isEqualTo(Action.BLOCK);
        assertThat(action(set.file(file("/bin/sh", "/etc/cron.d/job")))).isEqualTo(Action.BLOCK);
        assertThat(action(set.file(file("/bin/sh", "/etc/ld.so.preload")))).isEqualTo(Action.BLOCK);
        // readOnly: reading a script in /tmp is fine, writing one is not.
        assertThat(set.file(file("/bin/sh", "/tmp/run.sh"))).isNull();
        assertThat(action(set.file(file("/bin/sh", "/tmp/run.sh").write(true)))).isEqualTo(Action.BLOCK);
        Match nohup = set.process(file("/bin/sh", "/usr/local/bin/nohup"));
        assertThat(nohup.action()).isEqualTo(Action.BLOCK);
        assertThat(nohup.severity()).isEqualTo(8);
        assertThat(nohup.tags()).containsExactly("malware", "miner", "MITRE_T1496_resource_hijacking");
        assertThat(set.process(file("/bin/sh", "/usr/bin/nohupx"))).isNull();
    }

    @Test
    void mysqlTemplate() {
        var mysql = new ContainerIdentity("db", Map.of("app", "mysql"));
        PolicySet set = resource("template-audit-mysql-config.yaml", mysql, Posture.defaults());
        FileRequest owner = file("/usr/sbin/mysqld", "/etc/mysql/my.cnf").owner(999, 999);
        assertThat(set.file(owner)).isNull();
        Match other = set.file(file("/bin/cat", "/etc/mysql/my.cnf").owner(0, 999));
        assertThat(other.action()).isEqualTo(Action.BLOCK);
        assertThat(other.severity()).isEqualTo(5);
        Match audit = set.file(file("/bin/rm", "/var/lib/mysql/ibdata1").write(true));
        assertThat(audit.action()).isEqualTo(Action.AUDIT);
        assertThat(audit.severity()).isEqualTo(3);
        assertThat(set.file(file("/usr/sbin/mysqld", "/var/lib/mysql/ibdata1"))).isNull();
        // matchExpressions NotIn tier=debug deselects debug containers.
        var debug = new ContainerIdentity("db", Map.of("app", "mysql", "tier", "debug"));
        assertThat(resource("template-audit-mysql-config.yaml", debug, Posture.defaults()).ruleCount()).isZero();
    }

    @Test
    void networkTemplate() {
        PolicySet set = resource("template-network-curl-only.yaml", ContainerIdentity.named("web"),
                Posture.defaults());
        var tcp = new NetworkRequest().socket(NetworkRequest.AF_INET, NetworkRequest.SOCK_STREAM, 0);
        assertThat(action(set.network(tcp.source("/usr/bin/curl")))).isEqualTo(Action.ALLOW);
        Match wget = set.network(tcp.source("/usr/bin/wget"));
        assertThat(wget.defaultPosture()).isTrue();
        assertThat(wget.action()).isEqualTo(Action.AUDIT);
        var udp = new NetworkRequest().socket(NetworkRequest.AF_INET6, NetworkRequest.SOCK_DGRAM, 0)
                .source("/usr/bin/curl");
        assertThat(set.network(udp).defaultPosture()).isTrue();
        var ping = new NetworkRequest().socket(NetworkRequest.AF_INET, NetworkRequest.SOCK_DGRAM,
                NetworkRequest.IPPROTO_ICMP).source("/bin/ping");
        Match icmp = set.network(ping);
        assertThat(icmp.action()).isEqualTo(Action.AUDIT);
        assertThat(icmp.defaultPosture()).isFalse();
        assertThat(icmp.severity()).isEqualTo(8);
        var raw = new NetworkRequest().socket(NetworkRequest.AF_INET, NetworkRequest.SOCK_RAW,
                NetworkRequest.IPPROTO_ICMP).source("/bin/ping");
        assertThat(action(set.network(raw))).isEqualTo(Action.BLOCK);
        var cap = new CapabilityRequest().capability(Capability.NET_RAW).source("/bin/ping");
        assertThat(action(set.capability(cap))).isEqualTo(Action.BLOCK);
        // With a blocking network posture, the unlisted socket is blocked by DefaultPosture.
        PolicySet strict = resource("template-network-curl-only.yaml", ContainerIdentity.named("web"),
                new Posture(Action.AUDIT, Action.BLOCK, Action.AUDIT));
        Match blocked = strict.network(udp);
        assertThat(blocked.action()).isEqualTo(Action.BLOCK);
        assertThat(blocked.policyName()).isEqualTo("DefaultPosture");
    }
}
