package dev.windlass.samples.load;

import dev.windlass.samples.bookinfo.Tls;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Where HTTP requests go: the URL's host and port (the Host header and, for https, the SNI and the name the server's
 * certificate must carry), the address connected to (fortio's {@code -resolve}, else the host), and for https the
 * TLS client context, which trusts the CAs of {@code -cacert}, else the JRE's. With https the app does TLS itself,
 * as a mesh app calling an external TLS server does (the sidecar passes it through by SNI).
 */
record Target(URI url, String host, int port, String connectTo, SSLContext tls, String trust) {

    static Target of(LoadOptions options) {
        if (options.positional().size() != 1) {
            throw new IllegalArgumentException("give one URL after the flags, not " + options.positional());
        }
        URI url;
        try {
            url = URI.create(options.positional().getFirst());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad URL: " + e.getMessage());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("http", "https").contains(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("only http:// and https://HOST[:PORT]/PATH URLs: " + url);
        }
        boolean https = scheme.equals("https");
        if (!https && options.cacert() != null) {
            throw new IllegalArgumentException("-cacert needs an https:// URL");
        }
        int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
        String connectTo = options.resolve() != null ? options.resolve() : url.getHost();
        String trust = options.cacert() != null ? "-cacert " + options.cacert() : "the JRE's CAs";
        return new Target(url, url.getHost(), port, connectTo, https ? context(options.cacert()) : null, trust);
    }

    private static SSLContext context(String cacert) {
        try {
            return cacert != null ? Tls.trusting(Path.of(cacert)) : SSLContext.getDefault();
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("-cacert " + cacert + ": " + e.getMessage());
        }
    }

    /** A connected socket; for https once the handshake verified the server's certificate chain and name. */
    Socket open(int timeoutMillis) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(connectTo, port), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            if (tls == null) {
                return plain;
            }
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters params = socket.getSSLParameters();
            if (!host.contains(":") && !host.matches("[0-9.]+")) {
                params.setServerNames(List.of(new SNIHostName(host)));
            }
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }
}
