package dev.windlass.proxy.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An h2c server on loopback that answers every request with the same raw frames, however malformed (a response
 * without :status, a content-length its DATA contradicts), and records every frame the proxy sent it.
 */
public final class RawH2Upstream implements AutoCloseable {
    /** The answer to a request on {@code streamId}: frames as bytes. */
    public interface Answer {
        byte[] framesFor(int streamId);
    }

    private final ServerSocket server;
    private final List<RawH2.Frame> received = new CopyOnWriteArrayList<>();

    public RawH2Upstream(Answer answer) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofPlatform().daemon().start(() -> serve(socket, answer));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket socket, Answer answer) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            in.readFully(new byte[RawH2.PREFACE.length]);
            out.write(RawH2.frame(RawH2.SETTINGS, 0, 0, new byte[0]));
            for (RawH2.Frame frame = RawH2.read(in); frame != null; frame = RawH2.read(in)) {
                received.add(frame);
                if (frame.type() == RawH2.SETTINGS && (frame.flags() & RawH2.ACK) == 0) {
                    out.write(RawH2.frame(RawH2.SETTINGS, RawH2.ACK, 0, new byte[0]));
                } else if (frame.type() == RawH2.HEADERS) {
                    out.write(answer.framesFor(frame.streamId()));
                }
            }
        } catch (IOException e) {
            // the proxy closed the connection
        }
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** The frames the proxy sent, in order, over every connection. */
    public List<RawH2.Frame> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
