package dev.windlass.proxy.identity;

import dev.windlass.contract.SpiffeId;
import dev.windlass.proxy.admin.CertsDump;
import dev.windlass.proxy.tls.TrustBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The proxy's side of the CA protocol over a real gRPC socket, against a stand-in CA that signs each request with
 * the lifetime asked and fails the first call: retried, then renewed at 80 % of the lifetime with a new key.
 */
class WorkloadIdentityTest {
    private static final SpiffeId ID = new SpiffeId("cluster.local", "bookinfo", "reviews");
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private StandInCa ca;
    private WorkloadIdentity identity;

    @AfterEach
    void stop() {
        if (identity != null) {
            identity.close();
        }
        ca.close();
        executor.shutdownNow();
    }

    @Test
    void aCertificateIsRequestedRetriedAndRenewedBeforeItExpires() throws Exception {
        ca = StandInCa.start(true);
        identity = WorkloadIdentity.start(ca.channel(), ID, Duration.ofSeconds(3), executor, TrustBundle.fixed(List.of(ca.root())));
        AtomicInteger renewals = new AtomicInteger();
        identity.onRenewed(renewals::incrementAndGet);

        WorkloadIdentity.Certificate first = await().atMost(Duration.ofSeconds(10)).until(() -> identity.current().orElse(null),
                c -> c != null);
        assertThat(ca.calls()).as("the failed first call was retried").isEqualTo(2);
        assertThat(first.leaf().getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .containsExactly(ID.uri());
        assertThat(first.leaf().getPublicKey()).isEqualTo(first.keys().getPublic());
        assertThat(CertsDump.json(identity)).contains(ID.uri(), "\"path\": \"default\"", "\"path\": \"ROOTCA\"");

        WorkloadIdentity.Certificate second = await().atMost(Duration.ofSeconds(10))
                .until(() -> identity.current().orElseThrow(), c -> !c.leaf().getSerialNumber().equals(first.leaf().getSerialNumber()));
        Duration early = Duration.between(Instant.now(), first.leaf().getNotAfter().toInstant());
        assertThat(early).as("renewed before the first one expired").isPositive();
        assertThat(second.keys().getPublic()).isNotEqualTo(first.keys().getPublic());
        assertThat(identity.version()).as("one version per certificate").isGreaterThanOrEqualTo(2);
        assertThat(renewals.get()).as("listeners heard of each certificate").isGreaterThanOrEqualTo(2);
        assertThat(identity.trustBundle()).containsExactly(ca.root());
    }

    /**
     * The root ConfigMap's file as the kubelet rewrites it when the root rotates: the bundle grows to the old and the
     * new root, the version moves (TLS contexts rebuild), and a chain of the new root is trusted from then on; a
     * file that cannot be parsed keeps the bundle.
     */
    @Test
    void theTrustBundleFollowsTheMountedRootFile(@TempDir Path dir) throws Exception {
        ca = StandInCa.start(false);
        try (StandInCa next = StandInCa.start(false)) {
            Path file = dir.resolve("root-cert.pem");
            Files.writeString(file, pem(ca.root()));
            TrustBundle trust = TrustBundle.of(Files.readString(file), Optional.of(file));
            identity = WorkloadIdentity.start(ca.channel(), ID, Duration.ofHours(1), executor, trust);
            await().atMost(Duration.ofSeconds(10)).until(() -> identity.current().isPresent());
            long before = identity.version();
            X509Certificate[] newRootsChain = chainFrom(next);
            assertThatThrownBy(() -> trust.trustManager().checkServerTrusted(newRootsChain, "ECDHE_ECDSA"))
                    .isInstanceOf(CertificateException.class);

            Files.writeString(file, pem(ca.root()) + pem(next.root()));
            await().atMost(Duration.ofSeconds(15)).until(() -> identity.trustBundle().size() == 2);

            assertThat(identity.trustBundle()).containsExactly(ca.root(), next.root());
            assertThat(identity.version()).as("a new bundle is a new version").isGreaterThan(before);
            trust.trustManager().checkServerTrusted(newRootsChain, "ECDHE_ECDSA");
            Files.writeString(file, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
            assertThat(trust.reload()).isFalse();
            assertThat(identity.trustBundle()).as("kept").hasSize(2);
        }
    }

    private X509Certificate[] chainFrom(StandInCa other) {
        WorkloadIdentity signed = WorkloadIdentity.start(other.channel(), ID, Duration.ofHours(1), executor,
                TrustBundle.fixed(List.of(other.root())));
        try {
            return await().atMost(Duration.ofSeconds(10)).until(() -> signed.current().orElse(null), c -> c != null)
                    .chain().toArray(X509Certificate[]::new);
        } finally {
            signed.close();
        }
    }

    private static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
