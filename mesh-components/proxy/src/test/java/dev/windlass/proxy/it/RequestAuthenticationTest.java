package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.JwtResources;
import dev.windlass.proxy.testing.JwtResources.SigningKey;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestUpstream;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtClaimToHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.windlass.proxy.testing.JwtResources.claims;
import static dev.windlass.proxy.testing.RbacResources.anyPermission;
import static dev.windlass.proxy.testing.RbacResources.exact;
import static dev.windlass.proxy.testing.RbacResources.hcm;
import static dev.windlass.proxy.testing.RbacResources.httpRbac;
import static dev.windlass.proxy.testing.RbacResources.policy;
import static dev.windlass.proxy.testing.RbacResources.rules;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RequestAuthentication on real sockets, as Istio writes it (the jwt_authn filter before RBAC): without a token a
 * request passes, an invalid token is answered with Envoy's text, a valid one reaches the app without its header
 * and is the request principal that AuthorizationPolicy's requestPrincipals and claims match.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestAuthenticationTest {
    private static final String APP = "outbound|80||app.test.svc.cluster.local";
    private static final String ISS = "testing@secure.istio.io";
    private static SigningKey rsa;
    private static SigningKey ec;
    private static long now;

    private TestUpstream upstream;
    private RoutedGateway gateway;

    @BeforeAll
    static void keys() throws Exception {
        rsa = SigningKey.rsa("rsa-1");
        ec = SigningKey.ec("ec-1");
        now = System.currentTimeMillis() / 1000;
    }

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("app");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    @Test
    void aMissingTokenPassesAnInvalidOneIsRefusedAValidOneReachesTheAppWithoutIt() throws Exception {
        JwtProvider.Builder provider = JwtResources.provider(ISS, JwtResources.jwks(rsa, ec))
                .addClaimToHeaders(JwtClaimToHeader.newBuilder().setHeaderName("x-jwt-sub").setClaimName("sub"));
        serve(hcm("80", List.of(JwtResources.httpJwt(JwtResources.oneProvider(provider)))));

        assertThat(gateway.get("/none").status()).isEqualTo(200);
        RawHttp.Response bad = gateway.get("/bad?x=1", "Authorization: Bearer " + SigningKey.rsa("rsa-1").sign(claims(ISS, "eve", now + 300, "")));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.body()).isEqualTo("Jwt verification fails");
        assertThat(bad.header("www-authenticate")).isEqualTo("Bearer realm=\"http://app.test:80/bad\", error=\"invalid_token\"");
        RawHttp.Response expired = gateway.get("/expired", "Authorization: Bearer " + rsa.sign(claims(ISS, "eve", now - 3600, "")));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).isEqualTo("Jwt is expired");
        assertThat(gateway.get("/garbage", "Authorization: Bearer deadbeef").body())
                .isEqualTo("Jwt is not in the form of Header.Payload.Signature");

        assertThat(gateway.get("/rsa", "Authorization: Bearer " + rsa.sign(claims(ISS, "alice", now + 300, ""))).status()).isEqualTo(200);
        assertThat(gateway.get("/ec", "Authorization: Bearer " + ec.sign(claims(ISS, "bob", now + 300, "")), "x-jwt-sub: forged")
                .status()).isEqualTo(200);
        assertThat(gateway.get("/param?access_token=" + ec.sign(claims(ISS, "carol", now + 300, ""))).status()).isEqualTo(200);

        assertThat(upstream.seen()).extracting(TestUpstream.Seen::path).hasSize(4).startsWith("/none", "/rsa", "/ec")
                .last().asString().startsWith("/param?access_token=");
        assertThat(upstream.seen()).allSatisfy(seen -> assertThat(seen.headers()).doesNotContainKey("authorization"));
        assertThat(upstream.seen().get(1).headers()).containsEntry("x-jwt-sub", "alice");
        assertThat(upstream.seen().get(2).headers()).containsEntry("x-jwt-sub", "bob");
        assertThat(upstream.seen().get(0).headers()).doesNotContainKey("x-jwt-sub");
        assertThat(gateway.stats()).contains("windlass.jwt_authn_allowed: 4\n", "windlass.jwt_authn_denied: 3\n");
    }

    /** Istio's JWT task: with requestPrincipals ["*"] a request without a token is denied by RBAC. */
    @Test
    void requestPrincipalsRequireAVerifiedToken() throws Exception {
        RBAC requireJwt = rules(RBAC.Action.ALLOW, "ns[test]-policy[require-jwt]-rule[0]",
                policy(anyPermission(), JwtResources.anyRequestPrincipal()));
        RBAC denyGroup = rules(RBAC.Action.DENY, "ns[test]-policy[no-guests]-rule[0]", policy(anyPermission(),
                JwtResources.claim("groups", ValueMatcher.newBuilder().setListMatch(
                        io.envoyproxy.envoy.type.matcher.v3.ListMatcher.newBuilder().setOneOf(
                                ValueMatcher.newBuilder().setStringMatch(exact("guests")))).build())));
        serve(hcm("80", List.of(JwtResources.httpJwt(JwtResources.oneProvider(JwtResources.provider(ISS, JwtResources.jwks(rsa)))),
                httpRbac(denyGroup), httpRbac(requireJwt))));

        RawHttp.Response none = gateway.get("/none");
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.body()).isEqualTo("RBAC: access denied");
        assertThat(gateway.get("/alice", "Authorization: Bearer " + rsa.sign(claims(ISS, "alice", now + 300,
                "\"groups\":[\"admins\"]"))).status()).isEqualTo(200);
        assertThat(gateway.get("/guest", "Authorization: Bearer " + rsa.sign(claims(ISS, "gus", now + 300,
                "\"groups\":[\"guests\"]"))).status()).isEqualTo(403);
        assertThat(upstream.seen()).extracting(TestUpstream.Seen::path).containsExactly("/alice");
    }

    private void serve(Filter... filters) throws Exception {
        gateway.serve(List.of(filters), Resources.routes("80", Resources.virtualHost("app", List.of("*"), APP)),
                Map.of(APP, List.of(upstream.address())));
    }
}
