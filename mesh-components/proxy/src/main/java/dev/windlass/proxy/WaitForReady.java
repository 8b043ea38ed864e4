package dev.windlass.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@code wait} role, Istio's {@code pilot-agent wait}: polls the proxy's readiness port in the same pod until it
 * answers 200, then exits 0; exits 1 after the timeout. Run as the sidecar's postStart hook when
 * holdApplicationUntilProxyStarts is on: the kubelet starts the next container (the app) only once the hook ends.
 * A plain socket rather than an HTTP client, since every class loaded here delays the app's start.
 */
final class WaitForReady {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PERIOD = Duration.ofMillis(200);

    private final int port;
    private final Duration timeout;

    WaitForReady(int port, Duration timeout) {
        this.port = port;
        this.timeout = timeout;
    }

    /** {@code --timeout-seconds=N}; the port is the proxy's own READINESS_PORT, as the container's env gives it. */
    static WaitForReady parse(String[] args, int readinessPort) {
        Duration timeout = DEFAULT_TIMEOUT;
        for (String arg : args) {
            if (!arg.startsWith("--timeout-seconds=")) {
                throw new IllegalArgumentException("unknown argument \"" + arg + "\" (wait takes --timeout-seconds=N)");
            }
            timeout = Duration.ofSeconds(Long.parseLong(arg.substring(arg.indexOf('=') + 1)));
        }
        return new WaitForReady(readinessPort, timeout);
    }

    /** @return true once ready; false when the timeout passed first */
    boolean await() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ready()) {
                return true;
            }
            Thread.sleep(PERIOD);
        }
        return false;
    }

    private boolean ready() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /healthz/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] statusLine = in.readNBytes(12); // "HTTP/1.1 200"
            return new String(statusLine, StandardCharsets.US_ASCII).endsWith(" 200");
        } catch (IOException notYet) {
            return false;
        }
    }

    Duration timeout() {
        return timeout;
    }
}
