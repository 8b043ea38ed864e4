package dev.windlass.proxy.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.windlass.testsupport.tls.TestPki;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTPS/1.1 server on loopback (the JDK's) with a certificate of the test PKI: answers its name as the body,
 * records the SNI of every handshake ("" for a handshake without SNI) and counts its requests.
 */
public final class TlsUpstream implements AutoCloseable {
    private final HttpsServer server;
    private final List<String> sniSeen = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> clientsSeen = new CopyOnWriteArrayList<>();

    public TlsUpstream(String name, TestPki.Issued certificate) throws IOException, GeneralSecurityException {
        this(name, certificate, null);
    }

    /** With {@code clientCa}: mutual TLS, a client certificate of that CA required (its subject recorded). */
    public TlsUpstream(String name, TestPki.Issued certificate, TestPki.Issued clientCa) throws IOException, GeneralSecurityException {
        SSLContext context = serverContext(certificate, clientCa);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setSNIMatchers(List.of(new Recorder()));
                ssl.setNeedClientAuth(clientCa != null);
                params.setSSLParameters(ssl);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            if (clientCa != null) {
                clientsSeen.add(((X509Certificate) ((com.sun.net.httpserver.HttpsExchange) exchange).getSSLSession()
                        .getPeerCertificates()[0]).getSubjectX500Principal().getName());
            }
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestHeaders().containsKey("x-close")) {
                exchange.getResponseHeaders().set("Connection", "close"); // the next request needs a new handshake
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Records the name and accepts it: which certificate is served does not depend on it here. */
    private final class Recorder extends SNIMatcher {
        Recorder() {
            super(0);
        }

        @Override
        public boolean matches(SNIServerName name) {
            sniSeen.add(name instanceof SNIHostName host ? host.getAsciiName() : name.toString());
            return true;
        }
    }

    private static SSLContext serverContext(TestPki.Issued certificate, TestPki.Issued clientCa)
            throws GeneralSecurityException, IOException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", certificate.key(), new char[0], certificate.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        javax.net.ssl.TrustManager[] trust = null;
        if (clientCa != null) {
            KeyStore cas = KeyStore.getInstance("PKCS12");
            cas.load(null, null);
            cas.setCertificateEntry("client-ca", clientCa.certificate());
            javax.net.ssl.TrustManagerFactory trustFactory = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            trustFactory.init(cas);
            trust = trustFactory.getTrustManagers();
        }
        context.init(factory.getKeyManagers(), trust, null);
        return context;
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The SNI names of the handshakes that sent one, in order. */
    public List<String> sniSeen() {
        return List.copyOf(sniSeen);
    }

    /** The subject of each request's client certificate, in order (mutual TLS only). */
    public List<String> clientsSeen() {
        return clientsSeen;
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
