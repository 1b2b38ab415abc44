package dev.ward.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to run a task locally. Build with {@link #builder()}:
 *
 * <pre>{@code
 * LocalOptions o = LocalOptions.builder().secrets(SecretValues.read(file)).randomHostPorts(true)
 *         .maxStopTimeout(Duration.ofSeconds(5)).logs(LogSink.prefixed(System.out, System.err, false)).build();
 * }</pre>
 */
public final class LocalOptions {
    final SecretValues secrets;
    final Map<String, Path> environmentFiles;
    final boolean randomHostPorts;
    final Map<Integer, Integer> hostPorts;
    final Duration maxStopTimeout;
    final String pull;
    final LogSink logs;
    final String region;
    final Path containersConf;
    final List<String> insecureRegistries;
    final String network;

    private LocalOptions(Builder b) {
        this.secrets = b.secrets;
        this.environmentFiles = Map.copyOf(b.environmentFiles);
        this.randomHostPorts = b.randomHostPorts;
        this.hostPorts = Map.copyOf(b.hostPorts);
        this.maxStopTimeout = b.maxStopTimeout;
        this.pull = b.pull;
        this.logs = b.logs;
        this.region = b.region;
        this.containersConf = b.containersConf;
        this.insecureRegistries = List.copyOf(b.insecureRegistries);
        this.network = b.network;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; {@link #build()} copies. */
    public static final class Builder {
        private SecretValues secrets = SecretValues.none();
        private final Map<String, Path> environmentFiles = new LinkedHashMap<>();
        private boolean randomHostPorts;
        private final Map<Integer, Integer> hostPorts = new LinkedHashMap<>();
        private Duration maxStopTimeout;
        private String pull = "missing";
        private LogSink logs = LogSink.discard();
        private String region = "us-east-1";
        private Path containersConf;
        private final List<String> insecureRegistries = new ArrayList<>();
        private String network;

        /** Values for the task's {@code secrets}. */
        public Builder secrets(SecretValues s) {
            this.secrets = Objects.requireNonNull(s);
            return this;
        }

        /** A local file for an {@code environmentFiles} value (e.g. an S3 ARN). */
        public Builder environmentFile(String value, Path file) {
            environmentFiles.put(value, file);
            return this;
        }

        /** Publish every port on a random free host port (127.0.0.1) instead of the task's host ports. */
        public Builder randomHostPorts(boolean b) {
            this.randomHostPorts = b;
            return this;
        }

        /** Publish {@code containerPort} on {@code hostPort} (127.0.0.1). */
        public Builder hostPort(int containerPort, int hostPort) {
            hostPorts.put(containerPort, hostPort);
            return this;
        }

        /** Caps every container's stopTimeout (ECS default 30 s). */
        public Builder maxStopTimeout(Duration d) {
            this.maxStopTimeout = d;
            return this;
        }

        /** podman's --pull policy for images: missing (default), always, never, newer. */
        public Builder pull(String policy) {
            this.pull = Objects.requireNonNull(policy);
            return this;
        }

        public Builder logs(LogSink sink) {
            this.logs = Objects.requireNonNull(sink);
            return this;
        }

        /** AWS_REGION / AWS_DEFAULT_REGION inside the containers and the region in ARNs. */
        public Builder region(String r) {
            this.region = Objects.requireNonNull(r);
            return this;
        }

        /** containers.conf for podman (default: see {@link dev.ward.podman.ContainersConf#resolve}). */
        public Builder containersConf(Path file) {
            this.containersConf = file;
            return this;
        }

        /**
         * Pull from this registry (HOST or HOST:PORT) over plain HTTP or unverified TLS, as loopback registries
         * always are (see {@link InsecureRegistries}).
         */
        public Builder insecureRegistry(String host) {
            insecureRegistries.add(Objects.requireNonNull(host));
            return this;
        }

        /**
         * Join the podman bridge network {@code name} (created when missing) instead of a network of its own, so that
         * tasks run with the same name reach each other by address, as in one VPC.
         */
        public Builder network(String name) {
            this.network = name;
            return this;
        }

        public LocalOptions build() {
            return new LocalOptions(this);
        }
    }
}
