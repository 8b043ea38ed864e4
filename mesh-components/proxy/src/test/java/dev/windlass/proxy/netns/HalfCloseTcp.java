package dev.windlass.proxy.netns;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A plain TCP exchange that only completes if every hop passes a half-close on: the server answers after the
 * client's FIN, with who called it and the request in upper case, then closes; the client writes, shuts its
 * output, and prints everything up to the server's FIN. Usage: {@code HalfCloseTcp serve PORT} (prints "ready")
 * or {@code HalfCloseTcp call HOST PORT TEXT}.
 */
public final class HalfCloseTcp {
    private HalfCloseTcp() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]));
        } else {
            call(args[1], Integer.parseInt(args[2]), args[3]);
        }
    }

    private static void serve(int port) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("0.0.0.0", port));
            System.out.println("ready");
            System.out.flush();
            while (true) {
                Socket socket = server.accept();
                Thread.ofPlatform().daemon().start(() -> answer(socket));
            }
        }
    }

    private static void answer(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            String request = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String remote = socket.getInetAddress().getHostAddress();
            out.write(("remote=" + remote + " " + request.toUpperCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            System.err.println("answer: " + e);
        }
    }

    private static void call(String host, int port, String text) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            System.out.print(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
