package dev.windlass.e2e.traffic;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real discovery server ({@code dev.windlass.discovery.Main}) as a process on the host's loopback, next to the
 * apiserver it watches through {@code KUBECONFIG}. Logs to {@code target/traffic-discovery.log}.
 */
final class DiscoveryProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int xdsPort;
    private final int debugPort;
    private final int metricsPort;

    private DiscoveryProcess(Process process, int xdsPort, int debugPort, int metricsPort) {
        this.process = process;
        this.xdsPort = xdsPort;
        this.debugPort = debugPort;
        this.metricsPort = metricsPort;
    }

    /** @param namespace the control plane's namespace (POD_NAMESPACE): the CA Secret and the mesh ConfigMap's */
    static DiscoveryProcess start(Path kubeconfig, String namespace) throws IOException {
        int xds = freePort();
        int debug = freePort();
        int metrics = freePort();
        List<String> command = Java.command("dev.windlass.discovery.Main", "--bind-address=127.0.0.1",
                "--xds-port=" + xds, "--debug-port=" + debug, "--metrics-port=" + metrics);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File("target/traffic-discovery.log"));
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("POD_NAMESPACE", namespace);
        builder.environment().put("WEBHOOK_PORT", String.valueOf(freePort())); // the injector's, unused here
        return new DiscoveryProcess(builder.start(), xds, debug, metrics);
    }

    int xdsPort() {
        return xdsPort;
    }

    /** Polls {@code /ready} until it answers 200 (informers synced, gRPC listening). */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the discovery server exited with " + process.exitValue()
                        + "; see target/traffic-discovery.log");
            }
            try {
                if (get("/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            }
            Thread.sleep(100);
        }
        throw new AssertionError("discovery server not ready after " + timeout + "; see target/traffic-discovery.log");
    }

    /** The debug page {@code /debug/syncz}: every connected proxy, with what it ACKed or NACKed per type. */
    String syncz() throws Exception {
        return get("/debug/syncz").body();
    }

    /** The Prometheus page on the metrics port. */
    String metrics() throws Exception {
        return get(metricsPort, "/metrics").body();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(debugPort, path);
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: no shutdown hook runs, the ADS streams just break. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
