package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ward.testing.CPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default policy pack ({@code ward run --pack default}) under the real tracer: each of its rules raised by a
 * real process, in one run of a shell script whose triggers each leave a distinguishable alert; and ordinary
 * workloads (a Python web server answering a request, a Java program, nginx serving a page, coreutils) raising
 * none.
 */
@Tag("process")
class PackDetectionTest {
    @TempDir
    Path dir;

    @Test
    void everyRuleOfThePackIsRaisedByARealProcessAndNamesItsRuleSeverityAndTags() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("apt", "apt-get", "apk", "yum", "dnf", "pip", "pip3", "npm", "nc", "ncat", "socat",
                "nmap", "tcpdump", "xmrig", "minerd")) {
            Files.copy(Path.of("/usr/bin/true"), bin.resolve(tool));
            bin.resolve(tool).toFile().setExecutable(true);
        }
        Path key = Files.createDirectories(dir.resolve("home/.ssh")).resolve("id_rsa");
        Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        Path aws = Files.createDirectories(dir.resolve("home/.aws")).resolve("credentials");
        Files.writeString(aws, "[default]\n");
        Path privileged = CPrograms.get("privileged");
        Path script = Files.writeString(dir.resolve("triggers.sh"), """
                %s -c 'import os; os.system("true")'
                for t in apt apt-get apk yum dnf pip pip3 npm nc ncat socat nmap tcpdump xmrig minerd; do %s/$t; done
                : >> /usr/lib/os-release
                : >> /etc/hostname
                cat /etc/shadow %s %s /proc/self/environ > /dev/null
                %s rawsocket ptrace
                """.formatted(python(), bin, key, aws, privileged));
        var r = AgentProcess.run("--pack", "default", "--", "sh", script.toString()).in(dir).await(dir);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("rawsocket ok", "ptrace");

        expect(r, "ward-shell-from-runtime", "7", "T1059.004", "Process", "/usr/bin/dash");
        for (String tool : List.of("apt", "apt-get", "apk", "yum", "dnf", "pip", "pip3", "npm")) {
            expect(r, "ward-package-managers", "5", "T1105", "Process", bin.resolve(tool).toString());
        }
        expect(r, "ward-binary-dir-writes", "7", "T1554", "File", "/usr/lib/os-release");
        expect(r, "ward-etc-writes", "5", "T1098", "File", "/etc/hostname");
        for (String file : List.of("/etc/shadow", key.toString(), aws.toString())) {
            expect(r, "ward-credential-files", "8", "T1552.001", "File", file);
        }
        assertThat(alerts(r, "ward-credential-files"))
                .anyMatch(a -> a.get("Resource").asText().matches("/proc/\\d+/environ"));
        for (String tool : List.of("nc", "ncat", "socat", "nmap", "tcpdump")) {
            expect(r, "ward-recon-tools", "6", "T1046", "Process", bin.resolve(tool).toString());
        }
        for (String tool : List.of("xmrig", "minerd")) {
            expect(r, "ward-crypto-miners", "9", "T1496", "Process", bin.resolve(tool).toString());
        }
        expect(r, "ward-raw-sockets", "6", "T1040", "Network", null);
        // ptrace by the workload needs no pack rule: Ward refuses and reports every one itself.
        assertThat(alerts(r, "ward-self-protection")).singleElement().satisfies(a -> {
            assertThat(a.get("Data").asText()).startsWith("syscall=SYS_PTRACE");
            assertThat(a.get("Action").asText()).isEqualTo("Block");
        });
        assertThat(r.alerts()).filteredOn(a -> !a.get("PolicyName").asText().equals("ward-self-protection"))
                .allSatisfy(a -> assertThat(a.get("Action").asText()).isEqualTo("Audit"));
        List<String> sources = new ArrayList<>();
        alerts(r, "ward-shell-from-runtime").forEach(a -> sources.add(a.get("ParentProcessName").asText()));
        assertThat(sources).as("only python's shell, not the script's own").containsOnly(python().toString());
    }

    @Test
    void aPythonWebServerAJavaProgramNginxAndCoreutilsRaiseNoAlertFromThePack() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "<p>served</p>\n");
        Files.writeString(dir.resolve("Hello.java"), """
                public class Hello {
                    public static void main(String[] args) {
                        System.out.println("hello from java " + System.getProperty("java.version"));
                    }
                }
                """);
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = Files.writeString(dir.resolve("nginx.conf"), """
                user root;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/nginx-error.log;
                events { worker_connections 64; }
                http {
                    access_log %1$s/nginx-access.log;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server { listen 127.0.0.1:%2$d; root %1$s/www; }
                }
                """.formatted(dir, port));
        Path script = Files.writeString(dir.resolve("workloads.sh"), """
                set -e
                cd %1$s/www
                /usr/bin/python3 -c '
                import http.server, threading, urllib.request
                s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
                threading.Thread(target=s.serve_forever, daemon=True).start()
                page = urllib.request.urlopen("http://127.0.0.1:%%d/index.html" %% s.server_port).read()
                print("python", page.decode())
                s.shutdown()'
                cd %1$s
                %4$s Hello.java
                /usr/sbin/nginx -p %1$s -c %2$s -g 'daemon off;' &
                for i in $(seq 50); do curl -sf http://127.0.0.1:%3$d/index.html && break; sleep 0.1; done
                kill -QUIT $!
                wait
                ls -l /etc /usr/bin > /dev/null
                cat /etc/os-release /etc/passwd | grep -c root
                sort /etc/services | wc -l > /dev/null
                """.formatted(dir, conf, port, java()));
        var r = AgentProcess.run("--pack", "default", "--", "sh", script.toString()).in(dir).await(dir);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).as(r.stderr()).contains("python <p>served</p>", "hello from java ");
        assertThat(r.stdout().split("<p>served</p>", -1)).as("python's and nginx's page in " + r.stdout()).hasSize(3);
        assertThat(r.alerts()).as(r.stderr()).isEmpty();
        assertThat(r.stderr()).as("an Audit pack indexes no inodes at start").doesNotContain("holds more than");
    }

    @Test
    void withFalcoOutputTheAlertIsFalcosShapeWithThePacksRulePriorityAndTags() throws Exception {
        var r = AgentProcess.run("--pack", "default", "--output-format", "falco", "--container-name", "web", "--",
                "head", "-c0", "/etc/shadow").await(dir);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.events()).singleElement().satisfies(e -> {
            assertThat(e.get("rule").asText()).isEqualTo("ward-credential-files");
            assertThat(e.get("priority").asText()).isEqualTo("Error");
            assertThat(e.get("source").asText()).isEqualTo("syscall");
            assertThat(e.get("hostname").asText()).isNotEmpty();
            assertThat(e.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
            assertThat(e.get("output").asText()).contains("Error credential file accessed", "fd.name=/etc/shadow");
            assertThat(e.get("tags").toString()).contains("\"MITRE\"", "\"T1552.001\"");
            JsonNode f = e.get("output_fields");
            assertThat(f.get("proc.name").asText()).isEqualTo("head");
            assertThat(f.get("fd.name").asText()).isEqualTo("/etc/shadow");
            assertThat(f.get("evt.type").asText()).isEqualTo("openat");
            assertThat(f.get("container.name").asText()).isEqualTo("web");
            assertThat(f.get("user.uid").asInt()).isZero();
        });
    }

    @Test
    void thePackStaysAppliedWhenThePolicyFilesAreReloaded() throws Exception {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Path go = dir.resolve("go");
        Path telemetry = dir.resolve("t.jsonl");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process agent = AgentProcess.run("--pack", "default", "--policy", policies.toString(), "--", "sh", "-c",
                "echo started; while [ ! -e " + go + " ]; do sleep 0.05; done; head -c0 /etc/shadow")
                .start(telemetry, out, err);
        long deadline = System.nanoTime() + 120_000_000_000L; // generous for emulation (the arm64 VM)
        while (!Files.exists(out) || !Files.readString(out).contains("started")) { // the watcher is on by then
            assertThat(System.nanoTime()).as("the workload's start, stderr: " + Files.readString(err))
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
        Files.writeString(policies.resolve("other.yaml"), dev.ward.policy.testing.PolicyYaml.named("other")
                .container("*").spec("file:\n  matchPaths:\n  - path: /nonexistent/secret\naction: Block\n"));
        while (!Files.readString(err).contains("rules now applied")) {
            assertThat(System.nanoTime()).as("the reload, stderr: " + Files.readString(err)).isLessThan(deadline);
            Thread.sleep(20);
        }
        Files.writeString(go, "");
        var r = AgentProcess.finish(agent, telemetry, out, err);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        expect(r, "ward-credential-files", "8", "T1552.001", "File", "/etc/shadow");
    }

    /** Debian's python3 (python3.11 on Debian 12), by its real path: one of the runtimes the shell rule names. */
    private static Path python() throws java.io.IOException {
        return Path.of("/usr/bin/python3").toRealPath();
    }

    /** Debian's OpenJDK 17, a runtime the shell rule names, where installed; else the JDK running the tests. */
    private static Path java() {
        Path debian = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        return Files.isExecutable(debian) ? debian : Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static List<JsonNode> alerts(AgentProcess.Result r, String policy) {
        return r.alerts().stream().filter(a -> a.get("PolicyName").asText().equals(policy)).toList();
    }

    /** An Audit alert of {@code policy} on {@code resource} (any, when null) with the pack's severity and tags. */
    private static void expect(AgentProcess.Result r, String policy, String severity, String technique,
            String operation, String resource) {
        assertThat(alerts(r, policy)).as(policy + " on " + resource + " in\n" + r.alerts()).anySatisfy(a -> {
            assertThat(a.get("Operation").asText()).isEqualTo(operation);
            if (resource != null) {
                assertThat(a.get("Resource").asText()).startsWith(resource);
            }
            assertThat(a.get("Severity").asText()).isEqualTo(severity);
            assertThat(a.get("Message").asText()).isNotBlank();
            List<String> tags = new ArrayList<>();
            a.get("ATags").forEach(t -> tags.add(t.asText()));
            assertThat(tags).contains("MITRE", technique);
            assertThat(a.get("Tags").asText()).contains(technique);
        });
    }
}
