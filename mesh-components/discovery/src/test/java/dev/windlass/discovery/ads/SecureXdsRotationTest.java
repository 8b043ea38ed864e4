package dev.windlass.discovery.ads;

import dev.windlass.discovery.AdsClient;
import dev.windlass.discovery.DiscoveryConfig;
import dev.windlass.discovery.DiscoveryServer;
import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.SecureXds;
import dev.windlass.discovery.auth.Caller;
import dev.windlass.discovery.auth.TokenAuthenticator;
import dev.windlass.discovery.ca.CaFiles;
import dev.windlass.discovery.ca.CertificateAuthority;
import dev.windlass.discovery.ca.MeshCa;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.security.JwksResolver;
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
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.X509Certificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The authenticated xDS port (15012) with a 3 s serving certificate and a CA plugged in from files (Istio's
 * {@code cacerts}): grpc-java clients that trust only the roots, as proxies do, before and after the certificate is
 * renewed and after the root is rotated, and an ADS stream opened before. Tokens come from a stand-in
 * authenticator; SecureXdsApiServerTest has the real TokenReview.
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
    private final CertificateAuthority rootA = CertificateAuthority.generate("root-a");
    private final CertificateAuthority rootB = CertificateAuthority.generate("root-b");
    private CertificateAuthority ca;
    private MeshCa meshCa;
    private DiscoveryServer server;
    @TempDir
    Path cacerts;

    @BeforeEach
    void start() throws Exception {
        ca = CaFiles.intermediate(rootA, "intermediate-a1");
        CaFiles.write(cacerts, ca, rootA.roots());
        DiscoveryConfig config = new DiscoveryConfig("127.0.0.1", DiscoveryConfig.OFF, 0, 0, "windlass-system", "",
                Duration.ofMillis(50), Duration.ofSeconds(2), 0, "", "", 0, LIFETIME, cacerts, JwksResolver.DEFAULT_REFRESH);
        meshCa = MeshCa.load(null, config.namespace(), config.pluggedCaDirectory()).watch(Duration.ofMillis(100));
        server = DiscoveryServer.start(config, new InMemoryModel(Fixtures.registry("http").snapshot(MeshSettings.DEFAULT)),
                new Metrics(), Optional.of(SecureXds.port(config, meshCa, TOKENS, List.of("127.0.0.1"))));
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
        meshCa.close();
    }

    /**
     * Istio's plug-in CA root rotation, in its order: the trust bundle gets the new root beside the old one, then a
     * new intermediate under the new root signs. Proxies given the bundle keep connecting; one that only ever had the
     * old root is refused once the server's certificate chains to the new one; a broken set of files changes nothing.
     */
    @Test
    void theRootRotatesWhileTheServerRunsAndAnOpenStreamKeepsBeingServed() throws Exception {
        try (AdsClient open = new AdsClient(channel(new PeerCertificate(), rootA.certificate()), NODE)) {
            open.subscribe(XdsType.CDS, List.of());
            assertThat(open.next(XdsType.CDS).getResourcesCount()).isPositive();

            CaFiles.write(cacerts, ca, List.of(rootA.certificate(), rootB.certificate()));
            await().atMost(Duration.ofSeconds(10)).until(() -> meshCa.get().roots().size() == 2);
            CertificateAuthority next = CaFiles.intermediate(rootB, "intermediate-b1");
            CaFiles.write(cacerts, next, List.of(rootA.certificate(), rootB.certificate()));
            await().atMost(Duration.ofSeconds(10)).until(() -> meshCa.get().certificate().equals(next.certificate()));

            X509Certificate served = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> certificateOfANewConnection(rootA.certificate(), rootB.certificate()),
                            c -> signedBy(c, next.certificate()));
            served.checkValidity();
            try (AdsClient stale = new AdsClient(channel(new PeerCertificate(), rootA.certificate()), NODE)) {
                stale.subscribe(XdsType.CDS, List.of());
                Throwable refused = stale.ended.get(10, TimeUnit.SECONDS);
                assertThat(Status.fromThrowable(refused).getCode()).as("a proxy with the old root only")
                        .isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(refused).hasStackTraceContaining("PKIX");
            }
            open.subscribe(XdsType.LDS, List.of());
            assertThat(open.next(XdsType.LDS).getResourcesCount()).as("the stream opened before").isPositive();

            CaFiles.write(cacerts, CaFiles.intermediate(rootB, "intermediate-b2"), List.of(rootA.certificate()));
            Thread.sleep(500);
            assertThat(meshCa.get().certificate()).as("refused files change nothing").isEqualTo(next.certificate());
        }
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void newConnectionsGetTheRenewedCertificateWhileAnOpenStreamKeepsBeingServed() throws Exception {
        PeerCertificate firstPeer = new PeerCertificate();
        try (AdsClient open = new AdsClient(channel(firstPeer, rootA.certificate()), NODE)) {
            open.subscribe(XdsType.CDS, List.of());
            assertThat(open.next(XdsType.CDS).getResourcesCount()).isPositive();
            X509Certificate first = firstPeer.seen.get(10, TimeUnit.SECONDS);

            X509Certificate renewed = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> certificateOfANewConnection(rootA.certificate()),
                            c -> !c.getSerialNumber().equals(first.getSerialNumber()));

            renewed.verify(ca.certificate().getPublicKey());
            renewed.checkValidity();
            assertThat(renewed.getPublicKey()).isNotEqualTo(first.getPublicKey());
            open.subscribe(XdsType.LDS, List.of());
            assertThat(open.next(XdsType.LDS).getResourcesCount()).as("the stream opened before").isPositive();
            assertThat(open.ended).isNotDone();
        }
    }

    /** A whole ADS exchange on a new channel, whose own TLS client context resumes no session. */
    private X509Certificate certificateOfANewConnection(X509Certificate... roots) throws Exception {
        PeerCertificate peer = new PeerCertificate();
        try (AdsClient client = new AdsClient(channel(peer, roots), NODE)) {
            client.subscribe(XdsType.CDS, List.of());
            assertThat(client.next(XdsType.CDS).getResourcesCount()).isPositive();
            return peer.seen.get(10, TimeUnit.SECONDS);
        }
    }

    private ManagedChannel channel(PeerCertificate peer, X509Certificate... roots) throws Exception {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
        return NettyChannelBuilder.forAddress("127.0.0.1", server.xdsTlsPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(roots).build())
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
