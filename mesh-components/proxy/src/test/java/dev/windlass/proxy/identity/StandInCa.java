package dev.windlass.proxy.identity;

import com.google.protobuf.DynamicMessage;
import dev.windlass.caprotocol.IstioCaProtocol;
import dev.windlass.contract.MeshIdentity;
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
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the discovery server's CA on a real gRPC socket: signs each request for the SPIFFE id its CSR
 * names, with the lifetime it asks, with both TLS key usages as the mesh CA does; optionally fails the first call.
 */
public final class StandInCa implements AutoCloseable {
    private final TestPki.Issued ca;
    private final AtomicInteger calls = new AtomicInteger();
    private final Server server;
    private final ManagedChannel channel;

    private StandInCa(TestPki.Issued ca, boolean failFirst) throws IOException {
        this.ca = ca;
        this.server = NettyServerBuilder.forPort(0).addService(ServerServiceDefinition.builder(MeshIdentity.CA_SERVICE)
                .addMethod(IstioCaProtocol.CREATE_CERTIFICATE, ServerCalls.asyncUnaryCall((request, response) -> {
                    if (calls.incrementAndGet() == 1 && failFirst) {
                        response.onError(Status.UNAVAILABLE.withDescription("not yet").asRuntimeException());
                        return;
                    }
                    response.onNext(IstioCaProtocol.response(List.of(sign(request), pem(ca.certificate()))));
                    response.onCompleted();
                })).build()).build().start();
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    public static StandInCa start(boolean failFirst) throws Exception {
        return new StandInCa(TestPki.ca("stand-in mesh CA"), failFirst);
    }

    public ManagedChannel channel() {
        return channel;
    }

    public X509Certificate root() {
        return ca.certificate();
    }

    public int calls() {
        return calls.get();
    }

    private String sign(DynamicMessage request) {
        try (PEMParser parser = new PEMParser(new StringReader(IstioCaProtocol.csr(request)))) {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) parser.readObject());
            GeneralNames names = GeneralNames.fromExtensions(csr.getRequestedExtensions(), Extension.subjectAlternativeName);
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.valueOf(System.nanoTime()),
                    Date.from(now.minusSeconds(5)), Date.from(now.plusSeconds(IstioCaProtocol.validitySeconds(request))),
                    new X500Name(""), csr.getPublicKey())
                    .addExtension(Extension.subjectAlternativeName, true, names)
                    .addExtension(Extension.extendedKeyUsage, false, new org.bouncycastle.asn1.x509.ExtendedKeyUsage(
                            new org.bouncycastle.asn1.x509.KeyPurposeId[]{org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth,
                                    org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth}));
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
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
    }
}
