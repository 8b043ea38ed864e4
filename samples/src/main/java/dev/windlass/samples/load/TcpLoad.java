package dev.windlass.samples.load;

import dev.windlass.samples.bookinfo.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * TCP traffic shifting's check ({@code for i in $(seq 1 N); do echo LINE | nc HOST PORT; done}): N connections one
 * after the other, each sending LINE and reading one line back, tallied by the reply's first word ("one", "two").
 * A connection that gets no reply counts as "(error)".
 */
final class TcpLoad {
    static final String ERROR = "(error)";

    private TcpLoad() {
    }

    static void run(LoadOptions options, String target, String line, PrintStream out) {
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("use HOST:PORT, not '" + target + "'");
        }
        String host = target.substring(0, colon);
        int port = Integer.parseInt(target.substring(colon + 1));
        int connections = options.requests() > 0 ? options.requests() : 1;
        out.printf("Sending \"%s\" over %d connections to %s, one after the other%n", line, connections, target);
        Map<String, Integer> replies = new TreeMap<>();
        for (int i = 0; i < connections; i++) {
            replies.merge(firstWord(once(host, port, line, (int) options.timeout().toMillis())), 1, Integer::sum);
        }
        replies.forEach((word, count) -> out.printf("%s: %d%n", word, count));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("replies", replies);
        summary.put("connections", connections);
        out.println(Json.write(summary));
    }

    /** One connection's reply line, or null when none came. */
    static String once(String host, int port, String line, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            return null;
        }
    }

    private static String firstWord(String reply) {
        if (reply == null || reply.isBlank()) {
            return ERROR;
        }
        return reply.strip().split("\\s+", 2)[0];
    }
}
