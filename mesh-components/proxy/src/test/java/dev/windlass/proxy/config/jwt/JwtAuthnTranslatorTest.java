package dev.windlass.proxy.config.jwt;

import dev.windlass.proxy.config.InvalidConfigException;
import dev.windlass.proxy.testing.JwtResources;
import dev.windlass.proxy.testing.JwtResources.SigningKey;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RemoteJwks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.windlass.proxy.testing.JwtResources.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compiled JWT filter against tokens signed here with real keys (RS256 and ES256): what verifies, and the
 * status (Envoy's text and HTTP status) of every way a token fails.
 */
class JwtAuthnTranslatorTest {
    private static final String ISS = "testing@secure.istio.io";
    private static SigningKey rsa;
    private static SigningKey ec;
    private static SigningKey stranger;
    private static JwtProviderRule provider;
    private static final long NOW = System.currentTimeMillis() / 1000;

    @BeforeAll
    static void keys() throws Exception {
        rsa = SigningKey.rsa("rsa-1");
        ec = SigningKey.ec("ec-1");
        stranger = SigningKey.rsa("rsa-1");
        provider = filter(JwtResources.oneProvider(JwtResources.provider(ISS, JwtResources.jwks(rsa, ec))
                .addAudiences("https://app.example.com/"))).providers().getFirst();
    }

    @Test
    void rs256AndEs256TokensVerify() throws Exception {
        assertThat(status(rsa.sign(claims(ISS, "alice", NOW + 300, "\"aud\":\"app.example.com\"")))).isEqualTo(JwtStatus.OK);
        assertThat(status(ec.sign(claims(ISS, "bob", NOW + 300, "\"aud\":[\"other\",\"https://app.example.com\"]"))))
                .isEqualTo(JwtStatus.OK);
    }

    @Test
    void everyFailureHasEnvoysStatus() throws Exception {
        String aud = "\"aud\":\"app.example.com\"";
        assertThat(status(rsa.sign(claims(ISS, "alice", NOW - 120, aud)))).isEqualTo(JwtStatus.EXPIRED);
        assertThat(status(rsa.sign(claims(ISS, "alice", NOW - 30, aud)))).as("within the 60 s clock skew").isEqualTo(JwtStatus.OK);
        assertThat(status(rsa.sign(claims(ISS, "alice", NOW + 600, aud + ",\"nbf\":" + (NOW + 300)))))
                .isEqualTo(JwtStatus.NOT_YET_VALID);
        assertThat(status(rsa.sign(claims(ISS, "alice", NOW + 300, "\"aud\":\"elsewhere\"")))).isEqualTo(JwtStatus.AUDIENCE_NOT_ALLOWED);
        assertThat(JwtStatus.AUDIENCE_NOT_ALLOWED.httpStatus()).isEqualTo(403);
        assertThat(status(rsa.sign(claims(ISS, "alice", NOW + 300, "")))).as("no aud at all").isEqualTo(JwtStatus.AUDIENCE_NOT_ALLOWED);
        assertThat(status(rsa.sign(claims("someone-else", "alice", NOW + 300, aud)))).isEqualTo(JwtStatus.UNKNOWN_ISSUER);
        assertThat(status(stranger.sign(claims(ISS, "alice", NOW + 300, aud)))).isEqualTo(JwtStatus.VERIFICATION_FAIL);
        assertThat(JwtStatus.VERIFICATION_FAIL.text()).isEqualTo("Jwt verification fails");
        assertThat(JwtStatus.VERIFICATION_FAIL.httpStatus()).isEqualTo(401);
        assertThat(status(SigningKey.rsa("rsa-2").sign(claims(ISS, "alice", NOW + 300, aud)))).isEqualTo(JwtStatus.KID_ALG_MISMATCH);
        String token = rsa.sign(claims(ISS, "alice", NOW + 300, aud));
        String tampered = token.substring(0, token.indexOf('.') + 1)
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(claims(ISS, "mallory", NOW + 300, aud).getBytes())
                + token.substring(token.lastIndexOf('.'));
        assertThat(status(tampered)).isEqualTo(JwtStatus.VERIFICATION_FAIL);
        assertThat(JwtToken.parse("deadbeef").status()).isEqualTo(JwtStatus.BAD_FORMAT);
        assertThat(JwtToken.parse("e30.e30.sig").status()).as("no alg").isEqualTo(JwtStatus.HEADER_BAD_ALG);
    }

    /** A verified token is remembered by its text, but its time window is checked on every use. */
    @Test
    void aRememberedTokenStillExpires() throws Exception {
        String token = ec.sign(claims(ISS, "dora", NOW + 30, "\"aud\":\"app.example.com\""));
        JwtToken[] verified = new JwtToken[1];
        assertThat(provider.verify(token, NOW, verified)).isEqualTo(JwtStatus.OK);
        assertThat(verified[0].payload().get("sub").getAsString()).isEqualTo("dora");
        assertThat(provider.verified().get(token)).isSameAs(verified[0]);
        assertThat(provider.verify(token, NOW + 30 + 61, new JwtToken[1])).isEqualTo(JwtStatus.EXPIRED);
    }

    @Test
    void whatWindlassCannotDoIsRefused() {
        assertThatThrownBy(() -> filter(JwtResources.oneProvider(JwtResources.provider(ISS, "{}")
                .clearLocalJwks().setRemoteJwks(RemoteJwks.getDefaultInstance()))))
                .hasMessageContaining("remote_jwks");
        assertThatThrownBy(() -> filter(JwtResources.oneProvider(JwtResources.provider(ISS, JwtResources.jwks(rsa))
                .addFromCookies("session")))).hasMessageContaining("from_cookies");
        assertThatThrownBy(() -> filter(JwtResources.oneProvider(JwtResources.provider(ISS,
                "{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}")))).hasMessageContaining("not supported by Windlass");
    }

    private static JwtStatus status(String token) {
        return provider.verify(token, NOW, new JwtToken[1]);
    }

    private static JwtAuthnFilter filter(JwtAuthentication config) throws InvalidConfigException {
        return JwtAuthnTranslator.translate("test", config);
    }
}
