package dev.ward.e2e;

import dev.ward.local.Podman;
import dev.ward.local.testing.TestImages;
import java.util.List;

/**
 * The application of the Lacework seed's four patterns: nginx from this machine's Debian test image, with a
 * configuration that also runs as a non-root user (port 8080, pid and temp files under /tmp, logs to the
 * container's output), its ENTRYPOINT/CMD in the image as a real application image has them. Two tags: as
 * root, and as www-data (uid 33) like the seed's non-root nginx.
 */
final class NginxImage {
    static final String ROOT = "localhost/ward-e2e-nginx:root";
    static final String NONROOT = "localhost/ward-e2e-nginx:nonroot";
    static final String CONF = """
            worker_processes 1;
            pid /tmp/nginx.pid;
            error_log stderr warn;
            events { worker_connections 64; }
            http {
              access_log /dev/stdout;
              client_body_temp_path /tmp/body;
              proxy_temp_path /tmp/proxy;
              fastcgi_temp_path /tmp/fastcgi;
              uwsgi_temp_path /tmp/uwsgi;
              scgi_temp_path /tmp/scgi;
              server {
                listen 8080;
                root /srv/www;
              }
            }
            """;
    private static boolean built;

    private NginxImage() {
    }

    static synchronized void build() {
        if (built) {
            return;
        }
        Podman podman = TestImages.podman();
        String base = TestImages.debian();
        String name = "ward-e2e-nginx-build-" + ProcessHandle.current().pid();
        podman.run(List.of("rm", "-f", name));
        String script = "mkdir -p /srv/www && echo 'protected by ward' > /srv/www/index.html && cat > /etc/nginx/ward.conf <<'CONF'\n"
                + CONF + "CONF\n";
        podman.check("prepare nginx", "run", "--name", name, base, "bash", "-c", script);
        try {
            for (String[] v : new String[][] {{ROOT, "0"}, {NONROOT, "33"}}) {
                podman.check("commit " + v[0], "commit", "--change", "USER " + v[1],
                        "--change", "ENTRYPOINT [\"nginx\", \"-c\", \"/etc/nginx/ward.conf\"]",
                        "--change", "CMD [\"-g\", \"daemon off;\"]", name, v[0]);
            }
        } finally {
            podman.run(List.of("rm", "-f", name));
        }
        built = true;
    }
}
