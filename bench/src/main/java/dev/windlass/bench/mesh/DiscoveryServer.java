package dev.windlass.bench.mesh;

import dev.windlass.bench.Cmd;
import dev.windlass.bench.proc.ProcessTree;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real discovery server ({@code dev.windlass.discovery.Main}) as its own process on the host's loopback,
 * watching the apiserver of {@code kubeconfig}, with the image's JVM flags and a 1 GiB memory limit.
 */
public final class DiscoveryServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int xdsPort;
    private final int debugPort;
    private final int metricsPort;

    private DiscoveryServer(Process process, int xdsPort, int debugPort, int metricsPort) {
        this.process = process;
        this.xdsPort = xdsPort;
        this.debugPort = debugPort;
        this.metricsPort = metricsPort;
    }

    public static DiscoveryServer start(Path java, String classpath, Path kubeconfig, String namespace, Path log)
            throws IOException {
        int xds = freePort();
        int debug = freePort();
        int metrics = freePort();
        List<String> command = JavaCommand.of(java, JavaCommand.DISCOVERY_FLAGS, classpath, "dev.windlass.discovery.Main",
                "--bind-address=127.0.0.1", "--xds-port=" + xds, "--debug-port=" + debug, "--metrics-port=" + metrics,
                "--webhook-port=" + freePort());
        Process process = Cmd.start(command, Map.of("KUBECONFIG", kubeconfig.toString(), "POD_NAMESPACE", namespace), log);
        return new DiscoveryServer(process, xds, debug, metrics);
    }

    public int xdsPort() {
        return xdsPort;
    }

    public ProcessTree tree() {
        return new ProcessTree("discovery", process.pid());
    }

    public long pid() {
        return process.pid();
    }

    /** Polls {@code /ready} until 200 (informers synced, gRPC listening). */
    public void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the discovery server exited with " + process.exitValue());
            }
            try {
                if (get(debugPort, "/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("discovery server not ready after " + timeout);
    }

    /** The Prometheus page on the metrics port. */
    public String metrics() throws Exception {
        return get(metricsPort, "/metrics").body();
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        Cmd.stop(process);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
