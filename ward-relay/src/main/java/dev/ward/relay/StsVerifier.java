package dev.ward.relay;

import dev.ward.relay.api.AwsIdentityProof;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Checks an AWS proof of identity: a presigned {@code sts:GetCallerIdentity} made with the task role's credentials
 * (the pattern of Vault's AWS IAM auth). The request is checked before anything is sent: GET or POST, an STS host
 * ({@code sts.amazonaws.com}, {@code sts.REGION.amazonaws.com}, or the operator's {@code --mesh-sts-endpoint}) over
 * HTTPS, and the GetCallerIdentity action; only then does the relay send it, unchanged, and read the caller's ARN
 * from STS's answer. STS has checked the signature: the ARN is whoever signed.
 */
final class StsVerifier {
    private static final Pattern STS_HOST = Pattern.compile("sts(\\.[a-z]{2}(-gov)?-[a-z]+-\\d+)?\\.amazonaws\\.com");
    /** Headers the JDK's client sets itself (Host is the URL's, which is what was signed). */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI override;
    private final HttpClient client;

    StsVerifier(URI override) {
        this.override = override;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT).build();
    }

    /** The role that signed the proof; a {@link MeshRefusal} when the proof is malformed, elsewhere or refused. */
    RoleArn verify(AwsIdentityProof proof) {
        String method = proof.getMethod().toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("POST")) {
            throw invalid("aws.method '" + proof.getMethod() + "': a presigned GetCallerIdentity is GET or POST");
        }
        URI url;
        try {
            url = new URI(proof.getUrl());
        } catch (java.net.URISyntaxException e) {
            throw invalid("aws.url: not a URL (" + e.getMessage() + ")");
        }
        if (!isSts(url)) {
            throw new MeshRefusal(Status.Code.PERMISSION_DENIED, "not_sts", "aws.url " + url.getScheme() + "://"
                    + url.getRawAuthority() + ": not an STS endpoint (expected https://sts.amazonaws.com or "
                    + "https://sts.REGION.amazonaws.com); the relay sends the proof to STS only");
        }
        String body = proof.getBody();
        if (!"GetCallerIdentity".equals(param(url.getRawQuery(), "Action"))
                && !(method.equals("POST") && "GetCallerIdentity".equals(param(body, "Action")))) {
            throw invalid("aws: the request's Action is not GetCallerIdentity");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(TIMEOUT).method(method, body.isEmpty()
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (Map.Entry<String, String> h : proof.getHeadersMap().entrySet()) {
            if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                b.header(h.getKey(), h.getValue());
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | IllegalArgumentException e) {
            throw new MeshRefusal(Status.Code.UNAVAILABLE, "sts_unreachable", "cannot reach STS at "
                    + url.getHost() + " to check the AWS proof: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshRefusal(Status.Code.UNAVAILABLE, "sts_unreachable", "interrupted while asking STS");
        }
        Document xml = parse(response.body());
        if (response.statusCode() != 200) {
            throw new MeshRefusal(Status.Code.PERMISSION_DENIED, "sts_refused", "STS refused the AWS proof (HTTP "
                    + response.statusCode() + (xml == null ? "" : ": " + text(xml, "Code") + " " + text(xml, "Message"))
                    .strip() + "); the presigned request is wrong, expired or not signed with the task role");
        }
        String arn = xml == null ? "" : text(xml, "Arn");
        if (arn.isEmpty()) {
            throw new MeshRefusal(Status.Code.PERMISSION_DENIED, "sts_refused",
                    "STS's answer to the AWS proof has no caller ARN");
        }
        RoleArn role = RoleArn.fromAssumedRole(arn);
        if (role == null) {
            throw new MeshRefusal(Status.Code.PERMISSION_DENIED, "not_a_role", "the AWS proof was signed by " + arn
                    + ", not by an assumed role: sign it with the task role's credentials");
        }
        return role;
    }

    private boolean isSts(URI url) {
        if (url.getHost() == null || url.getRawUserInfo() != null) {
            return false;
        }
        if (override != null && url.getScheme().equalsIgnoreCase(override.getScheme())
                && url.getHost().equalsIgnoreCase(override.getHost()) && port(url) == port(override)) {
            return true;
        }
        return "https".equalsIgnoreCase(url.getScheme()) && port(url) == 443
                && STS_HOST.matcher(url.getHost().toLowerCase(Locale.ROOT)).matches();
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** The value of {@code name} in a form-encoded string, or null. */
    private static String param(String form, String name) {
        if (form == null) {
            return null;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Document parse(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(Document xml, String element) {
        NodeList nodes = xml.getElementsByTagNameNS("*", element);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
    }

    private static MeshRefusal invalid(String message) {
        return new MeshRefusal(Status.Code.INVALID_ARGUMENT, "bad_aws_proof", message);
    }
}
