package dev.windlass.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real discovery server ({@code dev.windlass.discovery.Main}) as its own process on the host's loopback,
 * watching the apiserver of a kubeconfig: for the tier-2 traffic tests and the benchmarks alike.
 */
public final class DiscoveryProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final int xdsPort;
    private final int xdsTlsPort;
    private final int debugPort;
    private final int metricsPort;

    private DiscoveryProcess(Process process, Path log, int xdsPort, int xdsTlsPort, int debugPort, int metricsPort) {
        this.process = process;
        this.log = log;
        this.xdsPort = xdsPort;
        this.xdsTlsPort = xdsTlsPort;
        this.debugPort = debugPort;
        this.metricsPort = metricsPort;
    }

    /**
     * @param java      the java launcher, its JVM flags and {@code -cp CLASSPATH}: everything before the main class
     * @param namespace the control plane's namespace (POD_NAMESPACE): the CA Secret and the mesh ConfigMap's
     * @param log       where its output goes
     */
    public static DiscoveryProcess start(List<String> java, Path kubeconfig, String namespace, Path log) throws IOException {
        return start(java, kubeconfig, namespace, log, Map.of());
    }

    /** @param env further environment, as the rendered Deployment sets it (LOG_AS_JSON, ...) */
    public static DiscoveryProcess start(List<String> java, Path kubeconfig, String namespace, Path log, Map<String, String> env)
            throws IOException {
        int xds = freePort();
        int xdsTls = freePort(); // not 15012: another discovery server on this machine may hold it
        int debug = freePort();
        int metrics = freePort();
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of("dev.windlass.discovery.Main", "--bind-address=127.0.0.1", "--xds-port=" + xds,
                "--xds-tls-port=" + xdsTls, "--debug-port=" + debug, "--metrics-port=" + metrics,
                "--webhook-port=" + freePort()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("POD_NAMESPACE", namespace);
        builder.environment().putAll(env);
        return new DiscoveryProcess(builder.start(), log, xds, xdsTls, debug, metrics);
    }

    public int xdsPort() {
        return xdsPort;
    }

    /** The authenticated port (TLS, tokens, the CA): what sidecars with an identity dial. */
    public int xdsTlsPort() {
        return xdsTlsPort;
    }

    public long pid() {
        return process.pid();
    }

    /** Polls {@code /ready} until it answers 200 (informers synced, gRPC listening). */
    public void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the discovery server exited with " + process.exitValue() + "; see " + log);
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
        throw new IllegalStateException("the discovery server is not ready after " + timeout + "; see " + log);
    }

    /** The debug page {@code /debug/syncz}: every connected proxy, with what it ACKed or NACKed per type. */
    public String syncz() throws Exception {
        return get(debugPort, "/debug/syncz").body();
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

    /** SIGKILL: no shutdown hook runs, the ADS streams just break. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
