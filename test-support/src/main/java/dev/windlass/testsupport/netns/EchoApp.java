package dev.windlass.testsupport.netns;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The app of a server pod: answers every request with who called it ({@code remote=IP}), its own name when it
 * has one ({@code server=NAME}, to tell replicas apart), and the headers it received, one {@code name: value}
 * line each. Usage: {@code EchoApp PORT [NAME]}; prints "ready".
 */
public final class EchoApp {
    private EchoApp() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 1 ? args[1] : null;
        HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", Integer.parseInt(args[0])), 64);
        server.createContext("/", exchange -> {
            StringBuilder body = new StringBuilder("remote=" + exchange.getRemoteAddress().getAddress().getHostAddress() + "\n");
            if (name != null) {
                body.append("server=").append(name).append('\n');
            }
            exchange.getRequestHeaders().forEach((header, values) ->
                    body.append(header.toLowerCase(Locale.ROOT)).append(": ").append(String.join(",", values)).append('\n'));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        System.out.println("ready");
        System.out.flush();
    }
}
