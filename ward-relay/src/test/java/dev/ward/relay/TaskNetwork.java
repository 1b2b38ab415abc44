package dev.ward.relay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Tasks as awsvpc gives them: each in its own network namespace with one address on a shared bridge (the VPC
 * subnet), and the host side of the bridge where the relay listens. Made with {@code ip} (root), removed on close.
 */
final class TaskNetwork implements AutoCloseable {
    final String hostAddress;
    private final String tag;
    private final int subnet;
    private final List<String> namespaces = new ArrayList<>();

    private TaskNetwork(String tag, int subnet) {
        this.tag = tag;
        this.subnet = subnet;
        this.hostAddress = "10.231." + subnet + ".1";
    }

    static TaskNetwork create(int tasks) throws IOException, InterruptedException {
        int subnet = ThreadLocalRandom.current().nextInt(1, 250);
        TaskNetwork n = new TaskNetwork("w" + Long.toString(ProcessHandle.current().pid() % 100000, 36) + subnet, subnet);
        try {
            ip("link", "add", n.bridge(), "type", "bridge");
            ip("addr", "add", n.hostAddress + "/24", "dev", n.bridge());
            ip("link", "set", n.bridge(), "up");
            for (int i = 0; i < tasks; i++) {
                n.addTask(i);
            }
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    String address(int task) {
        return "10.231." + subnet + "." + (task + 2);
    }

    /** The command prefix that runs a process inside task {@code task}'s network namespace. */
    List<String> exec(int task) {
        return List.of("ip", "netns", "exec", namespaces.get(task));
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            quietly("netns", "del", ns);
        }
        quietly("link", "del", bridge());
    }

    private String bridge() {
        return tag + "br";
    }

    private void addTask(int i) throws IOException, InterruptedException {
        String ns = tag + "t" + i;
        String host = tag + "h" + i;
        String inside = tag + "n" + i;
        ip("netns", "add", ns);
        namespaces.add(ns);
        ip("link", "add", host, "type", "veth", "peer", "name", inside);
        ip("link", "set", host, "master", bridge());
        ip("link", "set", host, "up");
        ip("link", "set", inside, "netns", ns);
        ip("-n", ns, "link", "set", "lo", "up");
        ip("-n", ns, "addr", "add", address(i) + "/24", "dev", inside);
        ip("-n", ns, "link", "set", inside, "up");
        ip("-n", ns, "route", "add", "default", "via", hostAddress);
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }

    private static void quietly(String... args) {
        try {
            ip(args);
        } catch (IOException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
