package dev.windlass.proxy.testing;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A TLS client on a real socket, as curl would be: SNI, hostname verification against the server's certificate
 * (endpoint identification HTTPS), optional protocol and cipher limits; then one HTTP/1.1 request.
 */
public final class TlsClient {
    /** The handshake's outcome and the response. */
    public record Result(X509Certificate peer, String protocol, String cipherSuite, String alpn, RawHttp.Response response) {
    }

    private TlsClient() {
    }

    public static SSLSocket connect(SSLContext context, int port, String sni, List<String> protocols,
                                    List<String> alpn) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 3000);
        plain.setSoTimeout(10_000);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, sni, port, true);
        SSLParameters params = socket.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(sni)));
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!protocols.isEmpty()) {
            params.setProtocols(protocols.toArray(String[]::new));
        }
        if (!alpn.isEmpty()) {
            params.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        socket.setSSLParameters(params);
        socket.startHandshake();
        return socket;
    }

    /** GET {@code path} with Host {@code sni}; throws when the handshake or the request fails. */
    public static Result get(SSLContext context, int port, String sni, String path, String... protocols)
            throws IOException {
        try (SSLSocket socket = connect(context, port, sni, List.of(protocols), List.of())) {
            RawHttp.Response response = RawHttp.send(socket, RawHttp.get(path, sni, "Connection: close"));
            var session = socket.getSession();
            return new Result((X509Certificate) session.getPeerCertificates()[0], session.getProtocol(),
                    session.getCipherSuite(), socket.getApplicationProtocol(), response);
        }
    }
}
