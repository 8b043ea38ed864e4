package dev.windlass.samples.tcpecho;

import dev.windlass.samples.bookinfo.Tls;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Istio's tcp-echo sample: on each port, answers every line received with "PREFIX line" and keeps the connection
 * open until the client closes it. {@code tcp-echo one} listens on 9000, 9001 and 9002; upstream's own argument
 * form, {@code tcp-echo 9000,9001,9002 one}, works too. With {@code TLS_KEYSTORE} (a PKCS#12 file with an empty
 * password, such as a mounted Secret's) it terminates TLS itself: a backend behind a gateway's TLS passthrough.
 */
public final class TcpEcho implements AutoCloseable {
    static final List<Integer> PORTS = List.of(9000, 9001, 9002);

    private final String prefix;
    private final PrintStream log;
    private final List<ServerSocket> servers = new ArrayList<>();

    private TcpEcho(String prefix, PrintStream log) {
        this.prefix = prefix;
        this.log = log;
    }

    public static void main(String[] args) throws IOException {
        List<Integer> ports = PORTS;
        String prefix;
        if (args.length == 2) {
            ports = Arrays.stream(args[0].split(",")).map(String::strip).map(Integer::valueOf).toList();
            prefix = args[1];
        } else if (args.length == 1) {
            prefix = args[0];
        } else {
            System.err.println("usage: tcp-echo PREFIX | tcp-echo PORT,PORT,... PREFIX");
            System.exit(2);
            return;
        }
        javax.net.ssl.SSLContext tls = Tls.serverFromEnv();
        start(prefix, ports, System.out, tls);
        System.out.printf("tcp-echo %s listening on %s%s%n", prefix, ports, tls == null ? "" : " (TLS)");
    }

    /** Listens on each port (0 picks a free one) and answers in virtual threads. */
    public static TcpEcho start(String prefix, List<Integer> ports, PrintStream log) throws IOException {
        return start(prefix, ports, log, null);
    }

    /** As above, terminating TLS with {@code tls} when it is not null. */
    public static TcpEcho start(String prefix, List<Integer> ports, PrintStream log, javax.net.ssl.SSLContext tls)
            throws IOException {
        TcpEcho echo = new TcpEcho(prefix, log);
        for (int port : ports) {
            ServerSocket server = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(port), 128);
            echo.servers.add(server);
            // A platform thread, not a virtual one: virtual threads are daemons, and nothing else would keep the JVM up.
            Thread.ofPlatform().name("tcp-echo-" + server.getLocalPort()).start(() -> echo.accept(server));
        }
        return echo;
    }

    /** The ports listened on, in the order given. */
    public List<Integer> ports() {
        return servers.stream().map(ServerSocket::getLocalPort).toList();
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket server : servers) {
            server.close();
        }
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> echo(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.println("tcp-echo: accept failed: " + e);
                }
            }
        }
    }

    private void echo(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream()); OutputStream out = socket.getOutputStream()) {
            byte[] line;
            while ((line = readLine(in)) != null) {
                // Bytes as received, terminator included, as upstream's server writes them back.
                byte[] reply = (prefix + " ").getBytes(StandardCharsets.UTF_8);
                out.write(reply);
                out.write(line);
                if (line.length == 0 || line[line.length - 1] != '\n') {
                    out.write('\n');
                }
                out.flush();
                log.printf("tcp-echo %s: %s%n", prefix, new String(line, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            // The client went away: nothing to answer.
        }
    }

    /** One line with its '\n', or what came before the end of the stream, or null at the end. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return b < 0 && line.size() == 0 ? null : line.toByteArray();
    }
}
