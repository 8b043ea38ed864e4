package dev.windlass.samples.load;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.io.PrintStream;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * A fortio-like load client for {@code kubectl exec} into a mesh pod, so that its requests leave through that pod's
 * sidecar: {@code load} (fortio load), {@code load curl} (fortio curl) and {@code load tcp} (the nc loop of Istio's
 * TCP traffic-shifting task).
 */
public final class LoadClient {
    static final String USAGE = """
            usage:
              load [-c CONNECTIONS] [-n REQUESTS | -t DURATION] [-qps QPS] [-timeout 10s] [-H 'Name: value']...
                   [-count-header NAME]... [-cacert CA.pem] [-resolve IP] http[s]://HOST[:PORT]/PATH
                  C kept-alive HTTP/1.1 connections share N GET requests (default: -c 1, for 5s when no -n;
                  -qps 0: as fast as answers come); prints fortio's summary ("Code 200 : 17 (85.0 %)"), a
                  "Header NAME VALUE : COUNT" line per value of each counted header, and a JSON line last.
              load curl [-H 'Name: value']... [-timeout 10s] [-cacert CA.pem] [-resolve IP] URL
                  one request; prints the status line, headers and body. With an https:// URL the client does TLS
                  itself (SNI and certificate name: the URL's host), trusting -cacert's CAs, else the JRE's, and
                  prints the server certificate it verified on stderr; -resolve connects to IP instead of the host.
              load tcp [-n CONNECTIONS] [-timeout 10s] HOST:PORT [LINE]
                  N connections one after the other, each sending LINE (default "hello") and reading one line
                  back; prints "WORD: COUNT" per first word of the replies, and a JSON line last.
              load ws [-t DURATION | -n MESSAGES] [-qps 10] [-timeout 10s] ws://HOST:PORT/PATH
              load grpc [-t DURATION | -n MESSAGES] [-qps 10] [-timeout 10s] HOST:PORT
                  one WebSocket, or one gRPC bidirectional stream (stream-echo's Chat, plaintext h2c), sending a
                  numbered message QPS times a second and checking each echo comes back in order; prints
                  {"sent","received","lost","outOfOrder","unexpected","seconds",...} last; exits 1 unless all came
                  back in order and the stream ended cleanly.""";

    private LoadClient() {
    }

    /** Runs the client; returns the exit code (0 done, 1 no answer to curl or a stream's echo missing, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> list = Arrays.asList(args);
        if (list.isEmpty() || List.of("-h", "-help", "--help", "help").contains(list.getFirst())) {
            (list.isEmpty() ? err : out).println(USAGE);
            return list.isEmpty() ? 2 : 0;
        }
        try {
            return switch (list.getFirst()) {
                case "tcp" -> tcp(LoadOptions.parse(list.subList(1, list.size())), out);
                case "curl" -> curl(LoadOptions.parse(list.subList(1, list.size())), out, err);
                case "ws", "grpc" -> StreamLoad.run(list.getFirst(), LoadOptions.parse(list.subList(1, list.size())), out);
                default -> http(LoadOptions.parse(list), out);
            };
        } catch (IllegalArgumentException e) {
            err.println("load: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int http(LoadOptions options, PrintStream out) throws InterruptedException {
        new HttpLoad(options, Target.of(options)).run(out);
        return 0;
    }

    private static int tcp(LoadOptions options, PrintStream out) {
        List<String> positional = options.positional();
        if (positional.isEmpty()) {
            throw new IllegalArgumentException("load tcp needs HOST:PORT");
        }
        String line = positional.size() > 1 ? String.join(" ", positional.subList(1, positional.size())) : "hello";
        TcpLoad.run(options, positional.getFirst(), line, out);
        return 0;
    }

    private static int curl(LoadOptions options, PrintStream out, PrintStream err) {
        Target target = Target.of(options);
        try (HttpConnection connection = new HttpConnection(target, options.headers(), options.timeout())) {
            long start = System.nanoTime();
            HttpConnection.Reply reply = connection.send();
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (connection.session() != null) {
                err.println("load curl: " + tls(connection.session(), target));
            }
            out.println("HTTP/1.1 " + reply.status());
            reply.headers().forEach((name, value) -> out.println(name + ": " + value));
            out.println();
            out.println(reply.text());
            // Measured here, so that a caller timing a request through kubectl exec is not timing the exec.
            err.println("load curl: " + millis + " ms");
            return 0;
        } catch (IOException e) {
            err.println("load curl: no answer: " + e);
            return 1;
        }
    }

    /** What the handshake showed: the server's certificate, which the client verified (chain and name). */
    private static String tls(SSLSession session, Target target) {
        try {
            X509Certificate server = (X509Certificate) session.getPeerCertificates()[0];
            return String.format("%s, server certificate serial %s, subject %s, issuer %s, verified for %s against %s",
                    session.getProtocol(), server.getSerialNumber().toString(16), server.getSubjectX500Principal(),
                    server.getIssuerX500Principal(), target.host(), target.trust());
        } catch (SSLPeerUnverifiedException e) {
            return session.getProtocol() + ", no server certificate";
        }
    }
}
