package dev.windlass.e2e.traffic;

import dev.windlass.testsupport.ThisJvm;
import dev.windlass.testsupport.netns.Netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The "node" of the traffic test, made of network namespaces: one namespace holds a bridge (10.251.1.254/24,
 * the node address), and every pod is a namespace joined to it by a veth pair. Nothing is routed out of them:
 * the node namespace has no uplink and does not forward, so a packet that the sidecars do not capture goes
 * nowhere. The Service range (kube-api-test's 10.0.0.0/24) is routed to the bridge only so that connect()
 * finds a route; iptables redirects those connections to the sidecar before they leave the pod.
 * {@link #close()} removes the namespaces, their {@code /etc/netns/} files and the socket directory.
 */
final class PodNetwork implements AutoCloseable {
    static final String NODE_IP = "10.251.1.254";
    static final String SERVICE_RANGE = "10.0.0.0/24";
    private static final Path ETC_NETNS = Path.of("/etc/netns");

    private final Netns netns = new Netns();
    private final String suffix = Long.toHexString(System.nanoTime()).substring(4);
    private final List<Path> etcDirs = new ArrayList<>();
    private boolean createdEtcNetns;
    private final Path socketDir;
    private String node;

    /** Cleans up when the JVM ends without the test's own tear-down (a timeout kill, Ctrl-C). */
    private final Thread cleanupOnExit = new Thread(this::close, "netns-cleanup");

    PodNetwork() throws IOException {
        socketDir = Files.createTempDirectory("wl-traffic-");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    Netns netns() {
        return netns;
    }

    /** A directory for Unix sockets, reachable from every namespace (it is a file system path). */
    Path socketDir() {
        return socketDir;
    }

    String node() {
        return node;
    }

    void createNode() throws Exception {
        node = netns.create("wl-node-" + suffix);
        netns.exec(node, "ip", "link", "add", "br0", "type", "bridge");
        netns.exec(node, "ip", "addr", "add", NODE_IP + "/24", "dev", "br0");
        netns.exec(node, "ip", "link", "set", "br0", "up");
    }

    /** Creates a pod namespace with {@code ip} on its eth0, bridged to the node. */
    String addPod(String label, String ip) throws Exception {
        String pod = netns.create("wl-" + label + "-" + suffix);
        String nodeSide = "v" + label;
        netns.exec(node, "ip", "link", "add", nodeSide, "type", "veth", "peer", "name", "eth0", "netns", pod);
        netns.exec(node, "ip", "link", "set", nodeSide, "master", "br0", "up");
        netns.exec(pod, "ip", "addr", "add", ip + "/24", "dev", "eth0");
        netns.exec(pod, "ip", "link", "set", "eth0", "up");
        netns.exec(pod, "ip", "route", "add", SERVICE_RANGE, "via", NODE_IP);
        return pod;
    }

    /**
     * Name resolution without DNS: {@code ip netns exec} bind-mounts {@code /etc/netns/POD/hosts} over
     * {@code /etc/hosts} for what it runs, and the resolver reads files before DNS.
     */
    void hosts(String pod, String lines) throws IOException {
        Path dir = ETC_NETNS.resolve(pod);
        if (!Files.isDirectory(ETC_NETNS)) {
            Files.createDirectory(ETC_NETNS);
            createdEtcNetns = true;
        }
        Files.createDirectory(dir);
        etcDirs.add(dir);
        Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n" + lines);
    }

    /** Runs the init program in the pod, as the injected init container does, and returns its rules. */
    String applyCaptureRules(String pod) throws Exception {
        return netns.exec(pod, ThisJvm.command("dev.windlass.proxy.Main", "init").toArray(String[]::new));
    }

    /** Runs curl in a namespace and returns what it printed; a failed curl returns its output, not an exception. */
    String curl(String namespace, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-m10"));
        command.addAll(List.of(args));
        try {
            return netns.exec(namespace, command.toArray(String[]::new));
        } catch (IllegalStateException e) {
            return "curl failed: " + e.getMessage();
        }
    }

    Process start(String namespace, String label, List<String> prefix, Map<String, String> env, String mainClass,
                  String... args) throws IOException {
        return netns.start(namespace, label, prefix, env, mainClass, args);
    }

    @Override
    public synchronized void close() {
        if (Thread.currentThread() != cleanupOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway; closing twice is harmless
            }
        }
        netns.cleanUp();
        for (Path dir : etcDirs) {
            deleteTree(dir);
        }
        etcDirs.clear();
        if (createdEtcNetns) {
            try {
                Files.deleteIfExists(ETC_NETNS); // only when empty: another test may have namespaces of its own there
                createdEtcNetns = false;
            } catch (IOException e) {
                System.out.println("[traffic] left " + ETC_NETNS + ": " + e);
            }
        }
        deleteTree(socketDir);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.out.println("[traffic] could not delete " + dir + ": " + e.getMessage());
        }
    }
}
