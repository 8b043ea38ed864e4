package dev.windlass.discovery.ads;

import dev.windlass.discovery.AdsClient;
import dev.windlass.discovery.DiscoveryConfig;
import dev.windlass.discovery.DiscoveryServer;
import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.SecureXds;
import dev.windlass.discovery.auth.Caller;
import dev.windlass.discovery.auth.TokenAuthenticator;
import dev.windlass.discovery.ca.CertificateAuthority;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.xds.XdsType;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The authenticated xDS port (15012) with a 3 s serving certificate: grpc-java clients that trust only the CA, as
 * proxies do, before and after the certificate is renewed, and an ADS stream opened before. Tokens come from a
 * stand-in authenticator; SecureXdsApiServerTest has the real TokenReview.
 */
class SecureXdsRotationTest {
    private static final Duration LIFETIME = Duration.ofSeconds(3);
    private static final String NODE = "sidecar~10.244.0.5~productpage-v1-6b746f74dc-x2k4p.bookinfo~bookinfo.svc.cluster.local";
    private static final String TOKEN = "productpage-token";
    private static final TokenAuthenticator TOKENS = token -> {
        if (!TOKEN.equals(token)) {
            throw new TokenAuthenticator.Unauthenticated("not the test's token");
        }
        return new Caller("bookinfo", "bookinfo-productpage", "productpage-v1-6b746f74dc-x2k4p");
    };
    private final CertificateAuthority ca = CertificateAuthority.generate("windlass-ca.test");
    private DiscoveryServer server;

    @BeforeEach
    void start() throws Exception {
        DiscoveryConfig config = new DiscoveryConfig("127.0.0.1", DiscoveryConfig.OFF, 0, 0, "windlass-system", "",
                Duration.ofMillis(50), Duration.ofSeconds(2), 0, "", "", 0, LIFETIME);
        server = DiscoveryServer.start(config, new InMemoryModel(Fixtures.registry("http").snapshot(MeshSettings.DEFAULT)),
                new Metrics(), Optional.of(SecureXds.port(config, ca, TOKENS, List.of("127.0.0.1"))));
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void newConnectionsGetTheRenewedCertificateWhileAnOpenStreamKeepsBeingServed() throws Exception {
        PeerCertificate firstPeer = new PeerCertificate();
        try (AdsClient open = new AdsClient(channel(firstPeer), NODE)) {
            open.subscribe(XdsType.CDS, List.of());
            assertThat(open.next(XdsType.CDS).getResourcesCount()).isPositive();
            X509Certificate first = firstPeer.seen.get(10, TimeUnit.SECONDS);

            X509Certificate renewed = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(this::certificateOfANewConnection, c -> !c.getSerialNumber().equals(first.getSerialNumber()));

            renewed.verify(ca.certificate().getPublicKey());
            renewed.checkValidity();
            assertThat(renewed.getPublicKey()).isNotEqualTo(first.getPublicKey());
            open.subscribe(XdsType.LDS, List.of());
            assertThat(open.next(XdsType.LDS).getResourcesCount()).as("the stream opened before").isPositive();
            assertThat(open.ended).isNotDone();
        }
    }

    /** A whole ADS exchange on a new channel, whose own TLS client context resumes no session. */
    private X509Certificate certificateOfANewConnection() throws Exception {
        PeerCertificate peer = new PeerCertificate();
        try (AdsClient client = new AdsClient(channel(peer), NODE)) {
            client.subscribe(XdsType.CDS, List.of());
            assertThat(client.next(XdsType.CDS).getResourcesCount()).isPositive();
            return peer.seen.get(10, TimeUnit.SECONDS);
        }
    }

    private ManagedChannel channel(PeerCertificate peer) throws Exception {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
        return NettyChannelBuilder.forAddress("127.0.0.1", server.xdsTlsPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(ca.certificate()).build())
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers), peer).build();
    }

    /** The server certificate of the connection a call went over, as the client's TLS session has it. */
    private static final class PeerCertificate implements ClientInterceptor {
        final CompletableFuture<X509Certificate> seen = new CompletableFuture<>();

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onHeaders(Metadata received) {
                            record(getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
                            super.onHeaders(received);
                        }
                    }, headers);
                }
            };
        }

        private void record(SSLSession session) {
            try {
                seen.complete((X509Certificate) session.getPeerCertificates()[0]);
            } catch (SSLPeerUnverifiedException | RuntimeException e) {
                seen.completeExceptionally(e);
            }
        }
    }
}
