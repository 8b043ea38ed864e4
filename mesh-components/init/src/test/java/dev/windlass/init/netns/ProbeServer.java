package dev.windlass.init.netns;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny TCP listener for the network-namespace test, run inside a namespace with {@code ip netns exec}.
 * Usage: {@code ProbeServer LABEL MAX_SECONDS PORT...}. Listens on 0.0.0.0 on every port, prints "ready" once all
 * are bound, and answers every connection with one line {@code LABEL:PORT}, PORT being the local port that
 * accepted it (so a redirected connection answers with the capture port). Exits by itself after MAX_SECONDS.
 */
public final class ProbeServer {
    private ProbeServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String label = args[0];
        long maxMillis = Long.parseLong(args[1]) * 1000;
        List<ServerSocket> sockets = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("0.0.0.0", Integer.parseInt(args[i])));
            sockets.add(socket);
        }
        for (ServerSocket socket : sockets) {
            Thread.ofPlatform().daemon().start(() -> serve(label, socket));
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(maxMillis);
        System.exit(0);
    }

    private static void serve(String label, ServerSocket server) {
        while (true) {
            try (Socket connection = server.accept(); OutputStream out = connection.getOutputStream()) {
                String reply = label + ":" + connection.getLocalPort() + "\n";
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                System.err.println("accept failed: " + e);
            }
        }
    }
}
