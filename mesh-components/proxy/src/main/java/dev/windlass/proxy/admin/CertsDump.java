package dev.windlass.proxy.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.windlass.proxy.identity.WorkloadIdentity;
import io.envoyproxy.envoy.admin.v3.Certificate;
import io.envoyproxy.envoy.admin.v3.CertificateDetails;
import io.envoyproxy.envoy.admin.v3.Certificates;
import io.envoyproxy.envoy.admin.v3.SubjectAlternateName;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * {@code /certs}, as Envoy's admin answers it ({@code envoy.admin.v3.Certificates}): the workload certificate's
 * chain, leaf first ({@code cert_chain}, path {@code default}, Istio's SDS name), and the roots peers are checked
 * against ({@code ca_cert}, {@code ROOTCA}: the trust bundle, two roots while the root rotates).
 */
public final class CertsDump {
    private CertsDump() {
    }

    public static String json(WorkloadIdentity identity) {
        Certificates.Builder certs = Certificates.newBuilder();
        identity.current().ifPresent(current -> {
            List<X509Certificate> chain = current.chain();
            Certificate.Builder certificate = Certificate.newBuilder();
            chain.forEach(c -> certificate.addCertChain(details("default", c)));
            identity.trustBundle().forEach(root -> certificate.addCaCert(details("ROOTCA", root)));
            certs.addCertificates(certificate);
        });
        try {
            return JsonFormat.printer().preservingProtoFieldNames().print(certs);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CertificateDetails details(String path, X509Certificate certificate) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        CertificateDetails.Builder details = CertificateDetails.newBuilder().setPath(path)
                .setSerialNumber(certificate.getSerialNumber().toString(16))
                .setDaysUntilExpiration(Math.max(0, Duration.between(Instant.now(), notAfter).toDays()))
                .setValidFrom(timestamp(certificate.getNotBefore().toInstant())).setExpirationTime(timestamp(notAfter));
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    int type = (Integer) name.get(0);
                    String value = String.valueOf(name.get(1));
                    SubjectAlternateName.Builder san = SubjectAlternateName.newBuilder();
                    switch (type) {
                        case 6 -> details.addSubjectAltNames(san.setUri(value));
                        case 2 -> details.addSubjectAltNames(san.setDns(value));
                        case 7 -> details.addSubjectAltNames(san.setIpAddress(value));
                        default -> { }
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a certificate whose SANs cannot be read is shown without them
        }
        return details.build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
