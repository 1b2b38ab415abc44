package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.ward.relay.api.Event;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay against a client generated from KubeArmor's own protobuf files (src/test/protobuf/upstream, as
 * karmor is built from them), over TCP: it watches alerts and logs and sees every field the agent sent, and
 * sends karmor's policy payloads byte for byte as karmor's Go code encodes them.
 */
class UpstreamKarmorTest {
    @TempDir
    Path dir;
    NettyRelay relay;
    ManagedChannel karmor;

    @BeforeEach
    void start() throws Exception {
        relay = new NettyRelay(dir.resolve("relay.db"), 0,
                RelayServer.Settings.of(TestRelay.AGENT_TOKEN, TestRelay.ADMIN_TOKEN, null));
        karmor = NettyChannelBuilder.forTarget(relay.address()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        karmor.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        relay.close();
    }

    /** name -> (number, type) of every field: what must agree between Ward's copy and KubeArmor's. */
    private static Map<String, String> shape(Descriptor d) {
        Map<String, String> out = new TreeMap<>();
        for (FieldDescriptor f : d.getFields()) {
            String type = f.getType() == FieldDescriptor.Type.MESSAGE ? f.getMessageType().getName()
                    + shape(f.getMessageType()) : f.getType().name();
            out.put(f.getName(), f.getNumber() + " " + (f.isRepeated() ? "repeated " : "") + type);
        }
        return out;
    }

    @Test
    void wardsFeederMessagesDeclareEveryUpstreamFieldWithItsNumber() {
        assertThat(shape(dev.ward.relay.api.feeder.Alert.getDescriptor()))
                .isEqualTo(shape(upstream.kubearmor.Kubearmor.Alert.getDescriptor()));
        assertThat(shape(dev.ward.relay.api.feeder.Log.getDescriptor()))
                .isEqualTo(shape(upstream.kubearmor.Kubearmor.Log.getDescriptor()));
        assertThat(shape(dev.ward.relay.api.feeder.Message.getDescriptor()))
                .isEqualTo(shape(upstream.kubearmor.Kubearmor.Message.getDescriptor()));
        assertThat(upstream.kubearmor.Kubearmor.Alert.getDescriptor().findFieldByName("UserName").getNumber()).isEqualTo(44);
        assertThat(upstream.kubearmor.Kubearmor.Log.getDescriptor().findFieldByName("UserName").getNumber()).isEqualTo(34);
    }

    /** Sets every field of {@code b} to a value derived from its name, recursively. */
    private static <B extends Message.Builder> B everyField(B b) {
        for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
            String v = "v-" + f.getName();
            if (f.isMapField()) {
                Message.Builder entry = b.newBuilderForField(f);
                entry.setField(entry.getDescriptorForType().findFieldByName("key"), "k-" + f.getName());
                entry.setField(entry.getDescriptorForType().findFieldByName("value"), v);
                b.addRepeatedField(f, entry.build());
            } else if (f.isRepeated()) {
                b.addRepeatedField(f, v);
                b.addRepeatedField(f, v + "2");
            } else {
                switch (f.getJavaType()) {
                    case STRING -> b.setField(f, v);
                    case INT -> b.setField(f, f.getNumber() * 7);
                    case LONG -> b.setField(f, (long) f.getNumber() * 1_000_003L);
                    case MESSAGE -> b.setField(f, everyField(b.newBuilderForField(f)).build());
                    default -> throw new AssertionError("no value for " + f.getFullName());
                }
            }
        }
        return b;
    }

    /** Every field of {@code upstream}, by name, equals {@code ward}'s and none is left at its default. */
    private static void sameEverywhere(Message ward, Message upstream) throws Exception {
        assertThat(upstream.getUnknownFields().asMap()).as("fields the upstream client does not know").isEmpty();
        for (FieldDescriptor f : upstream.getDescriptorForType().getFields()) {
            FieldDescriptor w = ward.getDescriptorForType().findFieldByName(f.getName());
            if (f.isRepeated()) {
                assertThat(upstream.getRepeatedFieldCount(f)).as(f.getName()).isPositive();
            } else {
                assertThat(upstream.hasField(f) || !upstream.getField(f).equals(f.getDefaultValue()))
                        .as(f.getName() + " set").isTrue();
            }
            // The same value (messages and maps compared in text form).
            assertThat(String.valueOf(upstream.getField(f))).as(f.getName())
                    .isEqualTo(String.valueOf(ward.getField(w)));
        }
    }

    @Test
    void anUpstreamClientWatchingAlertsAndLogsSeesEveryFieldTheAgentSent() throws Exception {
        var feederClient = upstream.kubearmor.LogServiceGrpc.newBlockingStub(karmor);
        Iterator<upstream.kubearmor.Kubearmor.Alert> alerts = feederClient.watchAlerts(
                upstream.kubearmor.Kubearmor.RequestMessage.newBuilder().setFilter("policy").build());
        Iterator<upstream.kubearmor.Kubearmor.Log> logs = feederClient.watchLogs(
                upstream.kubearmor.Kubearmor.RequestMessage.newBuilder().setFilter("system").build());
        TestRelay.await("two watchers", () -> relay.server.watcherCount() == 2);

        ManagedChannel agentChannel = NettyChannelBuilder.forTarget(relay.address()).usePlaintext().build();
        try {
            var agent = new TestRelay.FakeAgent(agentChannel, TestRelay.AGENT_TOKEN, dev.ward.relay.api.Hello
                    .newBuilder().setAgentId("a1").setContainerName("web").setLogFilter("all").build());
            agent.nextBundle();
            var sentAlert = everyField(dev.ward.relay.api.feeder.Alert.newBuilder()).setType("MatchedPolicy")
                    .setContainerName("web").build();
            var sentLog = everyField(dev.ward.relay.api.feeder.Log.newBuilder()).setType("ContainerLog")
                    .setContainerName("web").build();
            agent.send(1, Event.newBuilder().setAlert(sentAlert).setTimestampNanos(1).build(),
                    Event.newBuilder().setLog(sentLog).setTimestampNanos(2).build());
            assertThat(agent.nextAck()).isEqualTo(1);

            upstream.kubearmor.Kubearmor.Alert a = alerts.next();
            sameEverywhere(sentAlert, a);
            assertThat(a.getCwd()).isEqualTo("v-Cwd");
            assertThat(a.getOwner().getRef()).isEqualTo("v-Ref");
            assertThat(a.getExecEvent().getExecutableName()).isEqualTo("v-ExecutableName");
            assertThat(a.getEventDataMap()).containsEntry("k-EventData", "v-EventData");
            assertThat(a.getKubeArmorVersion()).isEqualTo("v-KubeArmorVersion");

            upstream.kubearmor.Kubearmor.Log l = logs.next();
            sameEverywhere(sentLog, l);
            assertThat(l.getCwd()).isEqualTo("v-Cwd");
            assertThat(l.getUserName()).isEqualTo("v-UserName");
        } finally {
            agentChannel.shutdownNow();
        }
    }

    /**
     * What karmor sends for {@code karmor vm policy add}: Go's encoding of KubeArmor's K8sKubeArmorPolicyEvent
     * (fields in struct order; sections the user did not write as {}; no apiVersion or kind).
     */
    static String karmorPayload(String type, String name, String path, String specAction) {
        return "{\"type\":\"" + type + "\",\"object\":{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":"
                + "\"default\",\"creationTimestamp\":null},\"spec\":{\"selector\":{\"matchLabels\":{"
                + "\"kubearmor.io/container.name\":\"web\"}},\"process\":{},\"file\":{\"matchPaths\":[{\"path\":\""
                + path + "\"" + (specAction.isEmpty() ? ",\"action\":\"Block\"" : "") + "}]},\"network\":{},"
                + "\"capabilities\":{},\"syscalls\":{},\"action\":\"" + specAction + "\"},\"status\":{}}}";
    }

    private static upstream.kubearmor.Policy.policy payload(String json) {
        return upstream.kubearmor.Policy.policy.newBuilder()
                .setPolicy(ByteString.copyFrom(json, StandardCharsets.UTF_8)).build();
    }

    @Test
    void karmorsExactPayloadsAreAppliedEveryTimeAndReachTheAgent() throws Exception {
        ManagedChannel agentChannel = NettyChannelBuilder.forTarget(relay.address()).usePlaintext().build();
        try {
            var agent = new TestRelay.FakeAgent(agentChannel, TestRelay.AGENT_TOKEN, dev.ward.relay.api.Hello
                    .newBuilder().setAgentId("a1").setContainerName("web").build());
            assertThat(agent.nextBundle().getPoliciesCount()).isZero();
            var policies = TestRelay.as(upstream.kubearmor.PolicyServiceGrpc.newBlockingStub(karmor), TestRelay.ADMIN_TOKEN);

            String add = karmorPayload("ADDED", "ksp-shadow", "/etc/shadow", "Block");
            assertThat(policies.containerPolicy(payload(add)).getStatus())
                    .isEqualTo(upstream.kubearmor.Policy.PolicyStatus.Applied);
            var bundle = agent.nextBundle();
            assertThat(bundle.getPolicies(0).getNamespace()).isEqualTo("default");
            String yaml = bundle.getPolicies(0).getYaml();
            assertThat(yaml).contains("/etc/shadow").doesNotContain("\"process\"").doesNotContain("\"status\"")
                    .doesNotContain("creationTimestamp");
            // What the agent receives, its parser accepts (it would keep its last set otherwise).
            assertThat(dev.ward.policy.PolicyLoader.parse(yaml, "bundle")).hasSize(1);

            // KubeArmor answers Applied for every ADDED: the same policy again, and a changed one.
            assertThat(policies.containerPolicy(payload(add)).getStatus())
                    .isEqualTo(upstream.kubearmor.Policy.PolicyStatus.Applied);
            assertThat(policies.containerPolicy(payload(karmorPayload("ADDED", "ksp-shadow", "/etc/gshadow", "")))
                    .getStatus()).isEqualTo(upstream.kubearmor.Policy.PolicyStatus.Applied);
            assertThat(agent.nextBundle().getPolicies(0).getYaml()).contains("/etc/gshadow");

            assertThat(policies.containerPolicy(payload(karmorPayload("DELETED", "ksp-shadow", "/etc/gshadow", "")))
                    .getStatus()).isEqualTo(upstream.kubearmor.Policy.PolicyStatus.Deleted);
            assertThat(agent.nextBundle().getPoliciesCount()).isZero();
            assertThat(policies.containerPolicy(payload(karmorPayload("DELETED", "ksp-shadow", "/etc/gshadow", "")))
                    .getStatus()).isEqualTo(upstream.kubearmor.Policy.PolicyStatus.NotExist);

            // Only karmor's empty sections are read as absent: a spec with nothing but them still has no rules.
            String empty = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"nothing\",\"creationTimestamp\":"
                    + "null},\"spec\":{\"selector\":{\"matchLabels\":{\"kubearmor.io/container.name\":\"web\"}},"
                    + "\"process\":{},\"file\":{},\"network\":{},\"capabilities\":{},\"syscalls\":{},\"action\":\"\"},"
                    + "\"status\":{}}}";
            assertThat(policies.containerPolicy(payload(empty)).getStatus())
                    .isEqualTo(upstream.kubearmor.Policy.PolicyStatus.Invalid);
            assertThat(relay.log()).contains("WP009");

            // Host and network policies: karmor's other two calls get an answer it knows, not UNIMPLEMENTED.
            assertThat(policies.hostPolicy(payload(add)).getStatus())
                    .isEqualTo(upstream.kubearmor.Policy.PolicyStatus.NotEnabled);
            assertThat(policies.networkPolicy(payload(add)).getStatus())
                    .isEqualTo(upstream.kubearmor.Policy.PolicyStatus.NotEnabled);
            assertThat(relay.log()).contains("hostPolicy: not enabled");
        } finally {
            agentChannel.shutdownNow();
        }
    }
}
