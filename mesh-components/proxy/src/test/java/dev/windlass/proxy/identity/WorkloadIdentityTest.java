package dev.windlass.proxy.identity;

import com.google.protobuf.DynamicMessage;
import dev.windlass.caprotocol.IstioCaProtocol;
import dev.windlass.contract.MeshIdentity;
import dev.windlass.contract.SpiffeId;
import dev.windlass.proxy.admin.CertsDump;
import dev.windlass.testsupport.tls.TestPki;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proxy's side of the CA protocol over a real gRPC socket, against a stand-in CA that signs each request with
 * the lifetime asked and fails the first call: retried, then renewed at 80 % of the lifetime with a new key.
 */
class WorkloadIdentityTest {
    private static final SpiffeId ID = new SpiffeId("cluster.local", "bookinfo", "reviews");
    private final AtomicInteger calls = new AtomicInteger();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private Server server;
    private ManagedChannel channel;
    private WorkloadIdentity identity;

    @AfterEach
    void stop() {
        if (identity != null) {
            identity.close();
        }
        channel.shutdownNow();
        server.shutdownNow();
        executor.shutdownNow();
    }

    @Test
    void aCertificateIsRequestedRetriedAndRenewedBeforeItExpires() throws Exception {
        TestPki.Issued ca = TestPki.ca("stand-in mesh CA");
        server = NettyServerBuilder.forPort(0).addService(ServerServiceDefinition.builder(MeshIdentity.CA_SERVICE)
                .addMethod(IstioCaProtocol.CREATE_CERTIFICATE, ServerCalls.asyncUnaryCall((request, response) -> {
                    if (calls.incrementAndGet() == 1) {
                        response.onError(Status.UNAVAILABLE.withDescription("not yet").asRuntimeException());
                        return;
                    }
                    response.onNext(IstioCaProtocol.response(List.of(sign(ca, request), pem(ca.certificate()))));
                    response.onCompleted();
                })).build()).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();

        identity = WorkloadIdentity.start(channel, ID, Duration.ofSeconds(3), executor);

        WorkloadIdentity.Certificate first = await().atMost(Duration.ofSeconds(10)).until(() -> identity.current().orElse(null),
                c -> c != null);
        assertThat(calls.get()).as("the failed first call was retried").isEqualTo(2);
        assertThat(first.leaf().getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .containsExactly(ID.uri());
        assertThat(first.leaf().getPublicKey()).isEqualTo(first.keys().getPublic());
        assertThat(CertsDump.json(identity)).contains(ID.uri(), "\"path\": \"default\"", "\"path\": \"ROOTCA\"");

        WorkloadIdentity.Certificate second = await().atMost(Duration.ofSeconds(10))
                .until(() -> identity.current().orElseThrow(), c -> !c.leaf().getSerialNumber().equals(first.leaf().getSerialNumber()));
        Duration early = Duration.between(Instant.now(), first.leaf().getNotAfter().toInstant());
        assertThat(early).as("renewed before the first one expired").isPositive();
        assertThat(second.keys().getPublic()).isNotEqualTo(first.keys().getPublic());
    }

    /** Signs the request for the lifetime it asks, from now: the stand-in for the discovery server's CA. */
    private static String sign(TestPki.Issued ca, DynamicMessage request) {
        try (PEMParser parser = new PEMParser(new StringReader(IstioCaProtocol.csr(request)))) {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) parser.readObject());
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.valueOf(System.nanoTime()),
                    Date.from(now), Date.from(now.plusSeconds(IstioCaProtocol.validitySeconds(request))), new X500Name(""),
                    csr.getPublicKey()).addExtension(Extension.subjectAlternativeName, true,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, ID.uri())));
            return pem(new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.key()))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(X509Certificate certificate) {
        StringWriter out = new StringWriter();
        try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }
}
