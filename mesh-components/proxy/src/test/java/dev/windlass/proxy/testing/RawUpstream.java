package dev.windlass.proxy.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An app on loopback that answers each connection with bytes a test writes itself, on a virtual thread, to behave
 * as no well-made server would (stall, never stop).
 */
public final class RawUpstream implements AutoCloseable {
    /** What the app does with one accepted connection. */
    @FunctionalInterface
    public interface Answer {
        void answer(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final Answer answer;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    public RawUpstream(Answer answer) throws IOException {
        this.answer = answer;
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    /**
     * An HTTP/1.1 app that starts its answer and goes quiet: after a request head, a 200 head announcing 1000
     * bytes and the first five ("first"), then nothing, the connection held open.
     */
    public static RawUpstream stalling() throws IOException {
        return new RawUpstream(socket -> {
            RawHttp.skipHead(socket.getInputStream());
            socket.getOutputStream().write("HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\nfirst"
                    .getBytes(StandardCharsets.US_ASCII));
        });
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = server.accept();
                accepted.add(socket);
                Thread.ofVirtual().start(() -> {
                    try {
                        answer.answer(socket);
                    } catch (IOException e) {
                        // the proxy went away
                    }
                });
            }
        } catch (IOException e) {
            // closed
        }
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }
}
