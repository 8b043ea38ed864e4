package dev.windlass.discovery.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.windlass.traffic.istio.RequestAuthenticationSpec.JwtRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.windlass.discovery.security.LoopbackIssuer.jwks;
import static dev.windlass.discovery.security.LoopbackIssuer.modulus;
import static dev.windlass.discovery.security.LoopbackIssuer.rsaKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The resolver against a real HTTP server on loopback: fetch, refresh, failures (kept keys, then fail closed), discovery. */
class JwksResolverTest {
    /** Fast timings: refresh every 300 ms, retry after 100 ms, old keys kept 2 s into failures. */
    private static final JwksResolver.Timing FAST = new JwksResolver.Timing(Duration.ofMillis(300), Duration.ofMillis(100),
            Duration.ofSeconds(2));
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final JwksResolver resolver = new JwksResolver(FAST, Clock.systemUTC());
    private final AtomicInteger pushes = new AtomicInteger();

    @BeforeEach
    void capture() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(JwksResolver.class)).addAppender(logs);
        resolver.onChange(pushes::incrementAndGet);
    }

    @AfterEach
    void release() {
        resolver.close();
        ((Logger) LoggerFactory.getLogger(JwksResolver.class)).detachAppender(logs);
    }

    @Test
    void aJwksUriIsFetchedRefreshedThenKeptThroughFailuresUntilStale() throws Exception {
        PublicKey first = rsaKey();
        PublicKey second = rsaKey();
        try (LoopbackIssuer issuer = new LoopbackIssuer(jwks(List.of(first)))) {
            JwksSource source = new JwksSource(issuer.jwksUri(), false);
            JwtRule rule = rule("https://issuer.example", issuer.jwksUri());
            assertThat(resolver.track(Map.of(source, Set.of("bookinfo/jwt"))).forRule(rule))
                    .as("not fetched yet: fail closed").isEqualTo(ResolvedJwks.REFUSE_ALL);

            await().atMost(PATIENCE).until(() -> keys(source).filter(k -> k.contains(modulus(first))).isPresent());
            assertThat(resolver.resolved().forRule(rule)).isEqualTo(keys(source).orElseThrow());
            assertThat(pushes).hasValue(1);

            issuer.serve(jwks(List.of(second)));
            await().atMost(PATIENCE).until(() -> keys(source).filter(k -> k.contains(modulus(second))).isPresent());
            assertThat(pushes).hasValue(2);
            int seen = issuer.jwksRequests();
            await().atMost(PATIENCE).until(() -> issuer.jwksRequests() >= seen + 2);
            assertThat(pushes).as("refreshes that find the same keys push nothing").hasValue(2);

            issuer.fail(503);
            int before = issuer.jwksRequests();
            await().atMost(PATIENCE).until(() -> warnings().stream().anyMatch(w -> w.contains("503")));
            assertThat(issuer.jwksRequests()).isGreaterThan(before);
            assertThat(keys(source)).as("istiod keeps the last keys while refreshes fail").get().asString()
                    .contains(modulus(second));
            await().atMost(PATIENCE).until(() -> keys(source).isEmpty());
            assertThat(resolver.resolved().forRule(rule)).isEqualTo(ResolvedJwks.REFUSE_ALL);
            assertThat(pushes).hasValue(3);
            assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("bookinfo/jwt", issuer.jwksUri(), "503",
                    "tokens of this rule are refused"));
        }
    }

    @Test
    void anIssuerWithoutKeysIsReadThroughItsOpenIdConfiguration() throws Exception {
        PublicKey key = rsaKey();
        try (LoopbackIssuer issuer = new LoopbackIssuer(jwks(List.of(key)))) {
            JwtRule rule = rule(issuer.issuer() + "/", null);
            JwksSource source = JwksSource.of(rule).orElseThrow();
            assertThat(source).isEqualTo(new JwksSource(issuer.issuer() + "/.well-known/openid-configuration", true));
            resolver.track(Map.of(source, Set.of("default/oidc")));
            await().atMost(PATIENCE).until(() -> resolver.resolved().forRule(rule).contains(modulus(key)));
            assertThat(issuer.jwksRequests()).isPositive();
        }
    }

    /** Never fetched: every token refused, and a WARN that names the policy and the URI without its query. */
    @Test
    void aSourceThatNeverAnswersRefusesEveryTokenAndSaysWhy() throws Exception {
        try (LoopbackIssuer issuer = new LoopbackIssuer(jwks(List.of(rsaKey())))) {
            issuer.fail(500);
            JwksSource source = new JwksSource(issuer.jwksUri() + "?access_token=s3cr3t", false);
            resolver.track(Map.of(source, Set.of("shop/jwt")));
            await().atMost(PATIENCE).until(() -> warnings().size() >= 2);
            assertThat(resolver.resolved().fetched(source)).isEmpty();
            assertThat(warnings().getFirst()).contains("shop/jwt", issuer.jwksUri() + ":", "answered 500", "refused")
                    .doesNotContain("s3cr3t");
            assertThat(pushes).as("nothing changed: no keys before, none now").hasValue(0);
        }
    }

    @Test
    void keysWindlassCannotVerifyAreLeftOutAndAnOversizedAnswerIsRefused() throws Exception {
        PublicKey key = rsaKey();
        String ed25519 = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"ed\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
        String shortRsa = "{\"kty\":\"RSA\",\"kid\":\"short\",\"n\":\"xAE7\",\"e\":\"AQAB\"}";
        try (LoopbackIssuer mixed = new LoopbackIssuer(jwks(List.of(key), ed25519, shortRsa));
             LoopbackIssuer huge = new LoopbackIssuer("{\"keys\":[],\"pad\":\"" + "x".repeat(JwksResolver.MAX_BYTES) + "\"}")) {
            JwksSource kept = new JwksSource(mixed.jwksUri(), false);
            JwksSource oversized = new JwksSource(huge.jwksUri(), false);
            resolver.track(Map.of(kept, Set.of("a/jwt"), oversized, Set.of("b/jwt")));
            await().atMost(PATIENCE).until(() -> warnings().stream().anyMatch(w -> w.contains("larger than"))
                    && warnings().stream().anyMatch(w -> w.contains("left out")));
            assertThat(keys(kept).orElseThrow()).contains(modulus(key)).doesNotContain("OKP", "short");
            assertThat(keys(oversized)).isEmpty();
            assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("a/jwt", "left out", "kid ed", "kid short"));
        }
    }

    @Test
    void aSourceNoLongerNamedIsForgottenAndNoLongerFetched() throws Exception {
        try (LoopbackIssuer issuer = new LoopbackIssuer(jwks(List.of(rsaKey())))) {
            JwksSource source = new JwksSource(issuer.jwksUri(), false);
            resolver.track(Map.of(source, Set.of("a/jwt")));
            await().atMost(PATIENCE).until(() -> keys(source).isPresent());
            assertThat(resolver.track(Map.of()).keys()).isEmpty();
            int requests = issuer.jwksRequests();
            Thread.sleep(FAST.refresh().multipliedBy(3).toMillis());
            assertThat(issuer.jwksRequests()).isLessThanOrEqualTo(requests + 1); // one may have been under way
        }
    }

    /** The fail-closed key is one the proxy builds (RSA-2048), so inlining it never makes a configuration refused. */
    @Test
    void theRefuseAllKeyIsAKeyTheProxyAccepts() throws Exception {
        JwksDocuments.Reduced reduced = JwksDocuments.reduce(ResolvedJwks.REFUSE_ALL);
        assertThat(reduced.leftOut()).isEmpty();
        assertThat(reduced.jwks()).contains("windlass-jwks-unavailable");
    }

    private Optional<String> keys(JwksSource source) {
        return resolver.resolved().fetched(source);
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static JwtRule rule(String issuer, String jwksUri) {
        return new JwtRule(issuer, List.of(), jwksUri, null, List.of(), List.of(), null, null, List.of());
    }
}
