package dev.windlass.samples.load;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 client connection: a single TCP connection, kept alive from request to request and opened again only
 * when the server closes it, as fortio's {@code -c} connections are. The JDK's HttpClient pools connections its own
 * way, so a mesh's per-connection limits (circuit breaking) could not be driven with it.
 */
final class HttpConnection implements Closeable {
    /** A response: status, headers with lower-case names (repeated ones joined by commas), and the body. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Target target;
    private final byte[] request;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int sockets;
    private SSLSession session;

    HttpConnection(Target target, List<String> headers, Duration timeout) {
        this.target = target;
        this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
        this.request = request(target.url(), headers);
    }

    /** How many TCP connections this has opened so far. */
    int sockets() {
        return sockets;
    }

    /** The TLS session of the last connection opened, or null for http. */
    SSLSession session() {
        return session;
    }

    /** Sends the request; a kept-alive connection the server had closed meanwhile is opened again once. */
    Reply send() throws IOException {
        boolean reused = socket != null;
        try {
            return exchange();
        } catch (IOException e) {
            close();
            if (!reused || !(e instanceof EOFException || e instanceof java.net.SocketException)) {
                throw e;
            }
            return exchange();
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing anyway.
            }
            socket = null;
        }
    }

    private Reply exchange() throws IOException {
        if (socket == null) {
            connect();
        }
        out.write(request);
        out.flush();
        Reply reply;
        do {
            reply = read();
        } while (reply.status() >= 100 && reply.status() < 200 && reply.status() != 101);
        String connection = reply.headers().getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        if (connection.contains("close")) {
            close();
        }
        return reply;
    }

    private void connect() throws IOException {
        sockets++;
        Socket s = target.open(timeoutMillis);
        session = s instanceof SSLSocket tls ? tls.getSession() : null;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
        socket = s;
    }

    private Reply read() throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.merge(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip(),
                        (a, b) -> a + "," + b);
            }
        }
        return new Reply(status, headers, body(status, headers));
    }

    private byte[] body(int status, Map<String, String> headers) throws IOException {
        if (status < 200 || status == 204 || status == 304) {
            return new byte[0];
        }
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            return chunked();
        }
        String length = headers.get("content-length");
        if (length != null) {
            return exactly(Integer.parseInt(length.split(",")[0].strip()));
        }
        // No length: the body runs to the end of the connection, which can then not be reused.
        byte[] rest = in.readAllBytes();
        close();
        return rest;
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line().split(";", 2)[0].strip();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                while (!line().isEmpty()) {
                    // Trailers: not needed.
                }
                return body.toByteArray();
            }
            body.writeBytes(exactly(n));
            line();
        }
    }

    private byte[] exactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("connection closed in a response body");
        }
        return bytes;
    }

    /** One CRLF- (or LF-) terminated line, without the terminator. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static byte[] request(URI url, List<String> headers) {
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        Map<String, String> all = new LinkedHashMap<>();
        all.put("host", "Host: " + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()));
        all.put("user-agent", "User-Agent: windlass-load/1");
        all.put("accept", "Accept: */*");
        for (String header : headers) {
            all.put(header.substring(0, header.indexOf(':')).toLowerCase(Locale.ROOT), header);
        }
        StringBuilder text = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
        all.values().forEach(h -> text.append(h).append("\r\n"));
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
