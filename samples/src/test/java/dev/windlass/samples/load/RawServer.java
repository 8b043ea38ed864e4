package dev.windlass.samples.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An HTTP/1.1 server on a plain socket, for counting what a client really does: how many TCP connections it opens,
 * and what each request's head says. It answers the n-th request (1-based) with the raw response {@code answers}
 * gives, and closes the connection after it when the response says "Connection: close".
 */
final class RawServer implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final List<String> heads = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final IntFunction<String> answers;

    RawServer(IntFunction<String> answers) throws IOException {
        this.answers = answers;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    static String response(int status, String body, String... headers) {
        return "HTTP/1.1 " + status + " X\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + String.join("", List.of(headers).stream().map(h -> h + "\r\n").toList()) + "\r\n" + body;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            while (true) {
                StringBuilder head = new StringBuilder();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    head.append(line).append('\n');
                }
                if (head.isEmpty()) {
                    return;
                }
                heads.add(head.toString());
                String response = answers.apply(requests.incrementAndGet());
                out.write(response.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (response.toLowerCase().contains("connection: close")) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client closed.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
