package dev.windlass.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The operator as the image runs it, Quarkus's fast-jar ({@code operator/target/quarkus-app/quarkus-run.jar}), in a
 * process of its own against the apiserver of a kubeconfig: for the tier-2 tests and the startup benchmark.
 */
public final class OperatorProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final int port;

    private OperatorProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The fast-jar this build made; fails, saying how to make it, when it is missing. */
    public static Path fastJar(Path repositoryRoot) {
        Path jar = repositoryRoot.resolve("operator/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with: ./mvnw -pl operator -am package -DskipTests");
        }
        return jar;
    }

    /** This JVM's java with the image's flags, running the fast-jar. */
    public static List<String> command(Path fastJar) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", fastJar.toString());
    }

    /**
     * Starts the operator with the environment the rendered Deployment sets: lease namespace, identity (its pod
     * name) and platform {@code kind}; its HTTP port is a free one.
     *
     * @param command the java launcher and its arguments, as {@link #command} makes them
     */
    public static OperatorProcess start(List<String> command, Path kubeconfig, String leaseNamespace, String identity,
                                        Path log) throws IOException {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("KUBECONFIG", kubeconfig.toString(), "POD_NAMESPACE", leaseNamespace,
                "POD_NAME", identity, "WINDLASS_PLATFORM", "kind", "WINDLASS_HTTP_PORT", String.valueOf(port)));
        return new OperatorProcess(builder.start(), log, port);
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** GET a path of the operator's HTTP port; empty while nothing listens. */
    public Optional<HttpResponse<String>> get(String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            return Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException notListening) {
            return Optional.empty();
        }
    }

    /** Polls the path until it answers {@code status}; fails when the process exits first or time runs out. */
    public HttpResponse<String> awaitStatus(String path, int status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log);
            }
            Optional<HttpResponse<String>> response = get(path);
            if (response.isPresent() && response.get().statusCode() == status) {
                return response.get();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(path + " did not answer " + status + " within " + timeout + "; see " + log);
    }

    /** The exit code, once the process has ended within the timeout. */
    public Optional<Integer> exitCode(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
    }

    /** The resident set size, from /proc. */
    public long rssKiB() throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:")).map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong).findFirst().orElseThrow();
    }

    /** SIGKILL: no shutdown runs, the Lease is left to expire. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
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
