package dev.windlass.discovery.ads;

import com.google.protobuf.DynamicMessage;
import dev.windlass.caprotocol.IstioCaProtocol;
import dev.windlass.caprotocol.Pkcs10;
import dev.windlass.contract.MeshIdentity;
import dev.windlass.contract.SpiffeId;
import dev.windlass.discovery.AdsClient;
import dev.windlass.discovery.DiscoveryConfig;
import dev.windlass.discovery.DiscoveryServer;
import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.SecureXds;
import dev.windlass.discovery.auth.TokenReviewer;
import dev.windlass.discovery.ca.CertificateAuthority;
import dev.windlass.discovery.ca.MeshCa;
import dev.windlass.discovery.ca.Pem;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.xds.XdsType;
import dev.windlass.testsupport.ApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The authenticated port (tier 2): tokens are real projected ServiceAccount tokens of a real apiserver (TokenRequest,
 * bound to a pod), checked by TokenReview; the client is grpc-java over TLS trusting only the mesh CA.
 */
class SecureXdsApiServerTest {
    private static final String NS = "secure-xds";
    private static final List<ManagedChannel> CHANNELS = new ArrayList<>();
    private static KubernetesClient kube;
    private static CertificateAuthority ca;
    private static DiscoveryServer server;

    @BeforeAll
    static void start() throws Exception {
        kube = ApiServer.client();
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
        for (String name : List.of("a", "b")) {
            kube.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("sa-" + name)
                    .endMetadata().build()).serverSideApply();
            kube.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("pod-" + name).endMetadata()
                    .withNewSpec().withServiceAccountName("sa-" + name).addNewContainer().withName("app").withImage("app")
                    .endContainer().endSpec().build()).serverSideApply();
        }
        ca = CertificateAuthority.generate("windlass-ca.test");
        DiscoveryConfig config = new DiscoveryConfig("127.0.0.1", 0, 0, 0, "windlass-system", "", Duration.ofMillis(50),
                Duration.ofSeconds(2));
        server = DiscoveryServer.start(config, new InMemoryModel(Fixtures.registry("http").snapshot(MeshSettings.DEFAULT)),
                new Metrics(), Optional.of(SecureXds.port(config, MeshCa.fixed(ca), new TokenReviewer(kube, Clock.systemUTC()), List.of("127.0.0.1"))));
    }

    @AfterAll
    static void stop() throws Exception {
        CHANNELS.forEach(ManagedChannel::shutdownNow);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPodGetsACertificateForItsOwnServiceAccountAndNoOther() throws Exception {
        ManagedChannel channel = channel(token("a", "pod-a", MeshIdentity.CA_AUDIENCE));
        SpiffeId own = new SpiffeId("cluster.local", NS, "sa-a");
        KeyPair keys = Pkcs10.newKeyPair();

        List<String> chain = IstioCaProtocol.chain(createCertificate(channel, Pkcs10.pem(keys, own), 120));

        X509Certificate leaf = Pem.certificate(chain.get(0));
        assertThat(leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList()).containsExactly(own.uri());
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        leaf.verify(ca.certificate().getPublicKey());
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isBetween(Duration.ofMinutes(62), Duration.ofMinutes(63)); // 120 s, from an hour back
        assertThat(Pem.certificate(chain.get(1))).isEqualTo(ca.certificate());

        SpiffeId other = new SpiffeId("cluster.local", NS, "sa-b");
        assertThatThrownBy(() -> createCertificate(channel, Pkcs10.pem(Pkcs10.newKeyPair(), other), 0))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).contains("asks for " + other.uri(), "the caller is " + own.uri());
                });
    }

    @Test
    void withoutATokenForTheCaAudienceNothingIsServed() throws Exception {
        String csr = Pkcs10.pem(Pkcs10.newKeyPair(), new SpiffeId("cluster.local", NS, "sa-a"));
        for (ManagedChannel channel : List.of(channel(null), channel("not-a-token"),
                channel(token("a", "pod-a", "some-other-audience")))) {
            assertThatThrownBy(() -> createCertificate(channel, csr, 0)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            try (AdsClient ads = new AdsClient(channel, node("pod-a"))) {
                ads.subscribe(XdsType.CDS, List.of());
                assertThat(ads.ended.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            }
        }
    }

    @Test
    void aTokenForOnePodGetsThatPodsConfigurationAndNotAnothers() throws Exception {
        String tokenA = token("a", "pod-a", MeshIdentity.CA_AUDIENCE);
        try (AdsClient own = new AdsClient(channel(tokenA), node("pod-a"))) {
            own.subscribe(XdsType.CDS, List.of());
            assertThat(own.next(XdsType.CDS).getResourcesCount()).isPositive();
            String syncz = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.debugPort() + "/debug/syncz")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(syncz).contains("\"authenticated_as\" : \"ServiceAccount " + NS + "/sa-a of pod " + NS + "/pod-a\"");
        }
        try (AdsClient other = new AdsClient(channel(tokenA), node("pod-b"))) {
            other.subscribe(XdsType.CDS, List.of());
            assertThat(other.ended.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                assertThat(e.getStatus().getDescription()).contains("pod-b", "ServiceAccount " + NS + "/sa-a of pod " + NS + "/pod-a");
            });
        }
    }

    private static DynamicMessage createCertificate(ManagedChannel channel, String csr, long seconds) {
        return ClientCalls.blockingUnaryCall(channel, IstioCaProtocol.CREATE_CERTIFICATE,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), IstioCaProtocol.request(csr, seconds));
    }

    private static String node(String pod) {
        return "sidecar~10.244.7.1~" + pod + "." + NS + "~" + NS + ".svc.cluster.local";
    }

    /** A projected token as the kubelet would mount it: for {@code audience}, bound to the pod. */
    private static String token(String account, String podName, String audience) {
        Pod pod = kube.pods().inNamespace(NS).withName(podName).get();
        return kube.serviceAccounts().inNamespace(NS).withName("sa-" + account).tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withAudiences(audience).withExpirationSeconds(600L).withNewBoundObjectRef().withApiVersion("v1")
                .withKind("Pod").withName(podName).withUid(pod.getMetadata().getUid()).endBoundObjectRef().endSpec().build())
                .getStatus().getToken();
    }

    private static ManagedChannel channel(String token) throws Exception {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", server.xdsTlsPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(ca.certificate()).build());
        if (token != null) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        ManagedChannel channel = builder.build();
        CHANNELS.add(channel);
        return channel;
    }
}
