package dev.windlass.proxy.identity;

import dev.windlass.contract.SpiffeId;
import dev.windlass.proxy.admin.CertsDump;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
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
        identity = WorkloadIdentity.start(ca.channel(), ID, Duration.ofSeconds(3), executor, List.of(ca.root()));
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
}
