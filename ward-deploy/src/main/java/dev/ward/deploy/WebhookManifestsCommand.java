package dev.ward.deploy;

import static dev.ward.deploy.KubernetesInjector.mapOf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/**
 * {@code ward webhook manifests}: the ServiceAccount, Deployment, Service and MutatingWebhookConfiguration that install
 * the webhook, with the CA bundle filled in and the settings given to {@code ward webhook} passed on.
 */
@Command(name = "manifests", mixinStandardHelpOptions = true,
        description = {"Prints the Kubernetes objects that install 'ward webhook': a ServiceAccount (the webhook calls no "
                + "Kubernetes API, so it is bound to no role), a Deployment of IMAGE (its serving certificate from the "
                + "kubernetes.io/tls Secret ward-webhook-tls), a Service on 443, and the MutatingWebhookConfiguration "
                + "with the CA bundle: pods in namespaces labelled ward.dev/inject=enabled, and pods labelled so in "
                + "other namespaces, never the webhook's own namespace or kube-system."},
        footer = {"", "Example:",
            "  ward webhook manifests --image REGISTRY/ward:0.1.0 --ca-cert ca.pem \\",
            "    --agent-image REGISTRY/ward-agent:0.1.0 --relay ward-relay.ward.svc:32767 \\",
            "    --relay-token-secret ward-relay/agent-token | kubectl apply -f -"})
public final class WebhookManifestsCommand implements Callable<Integer> {
    static final String NAME = "ward-webhook";

    @Mixin
    WebhookSettings parent;

    @Option(names = "--image", paramLabel = "REF", required = true, description = "an image with the ward command")
    String image;

    @Option(names = "--ca-cert", paramLabel = "PEM", required = true,
            description = "the CA that signed the webhook's serving certificate (becomes caBundle)")
    Path caCert;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "ward", description = "where the webhook runs "
            + "(default: ward)")
    String namespace;

    @Option(names = "--failure-policy", paramLabel = "Ignore|Fail", defaultValue = "Ignore",
            description = "Ignore (default): pods are created unprotected when the webhook is down or cannot protect "
                    + "them; Fail: they are refused")
    String failurePolicy;

    @Override
    public Integer call() throws Exception {
        String problem = !failurePolicy.equals("Ignore") && !failurePolicy.equals("Fail")
                ? "--failure-policy must be Ignore or Fail, got '" + failurePolicy + "'" : parent.problem();
        if (problem != null) {
            System.err.println("ward webhook manifests: " + problem);
            return 2;
        }
        String ca;
        try {
            ca = Files.readString(caCert, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            System.err.println("ward webhook manifests: --ca-cert " + caCert + ": no such file");
            return 2;
        }
        if (!ca.contains("-----BEGIN CERTIFICATE-----")) {
            System.err.println("ward webhook manifests: --ca-cert " + caCert + ": expected a PEM certificate");
            return 2;
        }
        Dump dump = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2).build());
        StringBuilder out = new StringBuilder();
        for (Object doc : objects(Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.UTF_8)))) {
            out.append("---\n").append(dump.dumpToString(doc));
        }
        System.out.print(out);
        return 0;
    }

    List<Object> objects(String caBundle) {
        Map<String, Object> meta = mapOf("name", NAME, "namespace", namespace);
        Map<String, Object> labels = mapOf("app.kubernetes.io/name", NAME);
        List<Object> docs = new ArrayList<>();
        docs.add(mapOf("apiVersion", "v1", "kind", "ServiceAccount", "metadata", meta,
                "automountServiceAccountToken", false));
        docs.add(mapOf("apiVersion", "apps/v1", "kind", "Deployment", "metadata", mapOf("name", NAME, "namespace",
                namespace, "labels", labels), "spec", mapOf("replicas", 2, "selector", mapOf("matchLabels", labels),
                "template", mapOf("metadata", mapOf("labels", labels), "spec", mapOf("serviceAccountName", NAME,
                        "automountServiceAccountToken", false, "containers", List.of(mapOf("name", "webhook",
                                "image", image, "args", serveArgs(), "ports", List.of(mapOf("name", "https",
                                        "containerPort", 8443)),
                                "readinessProbe", mapOf("httpGet", mapOf("path", "/healthz", "port", 8443,
                                        "scheme", "HTTPS")),
                                "securityContext", mapOf("runAsNonRoot", true, "runAsUser", 65534,
                                        "readOnlyRootFilesystem", true, "allowPrivilegeEscalation", false,
                                        "capabilities", mapOf("drop", List.of("ALL"))),
                                "volumeMounts", List.of(mapOf("name", "tls", "mountPath", "/tls", "readOnly", true)))),
                        "volumes", List.of(mapOf("name", "tls", "secret", mapOf("secretName", NAME + "-tls"))))))));
        docs.add(mapOf("apiVersion", "v1", "kind", "Service", "metadata", meta, "spec", mapOf("selector", labels,
                "ports", List.of(mapOf("name", "https", "port", 443, "targetPort", 8443)))));
        Map<String, Object> notHere = mapOf("key", "kubernetes.io/metadata.name", "operator", "NotIn",
                "values", List.of(namespace, "kube-system"));
        docs.add(mapOf("apiVersion", "admissionregistration.k8s.io/v1", "kind", "MutatingWebhookConfiguration",
                "metadata", mapOf("name", NAME, "labels", labels), "webhooks", List.of(
                        webhook("namespace.inject.ward.dev", caBundle, mapOf("matchExpressions", List.of(notHere,
                                mapOf("key", "ward.dev/inject", "operator", "In", "values", List.of("enabled")))),
                                mapOf()),
                        webhook("pod.inject.ward.dev", caBundle, mapOf("matchExpressions", List.of(notHere,
                                mapOf("key", "ward.dev/inject", "operator", "NotIn", "values", List.of("enabled")))),
                                mapOf("matchLabels", mapOf("ward.dev/inject", "enabled"))))));
        return docs;
    }

    private Map<String, Object> webhook(String name, String caBundle, Map<String, Object> namespaces,
            Map<String, Object> objects) {
        return mapOf("name", name, "admissionReviewVersions", List.of("v1"), "sideEffects", "None",
                "failurePolicy", failurePolicy, "reinvocationPolicy", "IfNeeded", "timeoutSeconds", 10,
                "clientConfig", mapOf("caBundle", caBundle, "service", mapOf("name", NAME, "namespace", namespace,
                        "path", "/mutate", "port", 443)),
                "rules", List.of(mapOf("operations", List.of("CREATE"), "apiGroups", List.of(""),
                        "apiVersions", List.of("v1"), "resources", List.of("pods"), "scope", "Namespaced")),
                "namespaceSelector", namespaces, "objectSelector", objects);
    }

    /** {@code ward webhook} with this parent's settings, reading its certificate from the Secret's volume. */
    private List<String> serveArgs() {
        List<String> a = new ArrayList<>(List.of("webhook", "--tls-cert", "/tls/tls.crt", "--tls-key", "/tls/tls.key",
                "--agent-image", parent.agentImage));
        if (parent.relay != null) {
            a.addAll(List.of("--relay", parent.relay, "--relay-token-secret", parent.tokenSecret));
        }
        parent.env.forEach((k, v) -> a.addAll(List.of("--env", k + "=" + v)));
        parent.fargateProfiles.forEach(p -> a.addAll(List.of("--fargate-profile", p)));
        if (parent.failClosed || failurePolicy.equals("Fail")) {
            a.add("--fail-closed");
        }
        return a;
    }
}
