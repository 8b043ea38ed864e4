package dev.windlass.proxy.testing;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementOrList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RequirementRule;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Keys generated for the test, JWKS and signed tokens made with the JDK, and Envoy's jwt_authn filter and RBAC
 * request-principal matchers as Istio writes RequestAuthentication and AuthorizationPolicy.
 */
public final class JwtResources {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private JwtResources() {
    }

    /** A signing key: its kid, algorithm (RS256 or ES256) and pair. */
    public record SigningKey(String kid, String alg, KeyPair pair) {
        public static SigningKey rsa(String kid) throws GeneralSecurityException {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return new SigningKey(kid, "RS256", g.generateKeyPair());
        }

        public static SigningKey ec(String kid) throws GeneralSecurityException {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return new SigningKey(kid, "ES256", g.generateKeyPair());
        }

        /** The public key as a JWK. */
        public String jwk() {
            if (pair.getPublic() instanceof RSAPublicKey rsa) {
                return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"alg\":\"RS256\",\"n\":\"" + unsigned(rsa.getModulus().toByteArray())
                        + "\",\"e\":\"" + unsigned(rsa.getPublicExponent().toByteArray()) + "\"}";
            }
            ECPublicKey ec = (ECPublicKey) pair.getPublic();
            return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\",\"x\":\"" + coordinate(ec.getW().getAffineX())
                    + "\",\"y\":\"" + coordinate(ec.getW().getAffineY()) + "\"}";
        }

        /** A compact JWS of {@code payload} (a JSON object), signed with this key. */
        public String sign(String payload) throws GeneralSecurityException {
            String header = "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}";
            String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
            Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
            s.initSign(pair.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        }

        private static String unsigned(byte[] bytes) {
            return B64.encodeToString(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
        }

        private static String coordinate(java.math.BigInteger value) {
            byte[] raw = value.toByteArray();
            byte[] fixed = new byte[32];
            int copy = Math.min(raw.length, 32);
            System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
            return B64.encodeToString(fixed);
        }
    }

    public static String jwks(SigningKey... keys) {
        return "{\"keys\":[" + String.join(",", Arrays.stream(keys).map(SigningKey::jwk).toList()) + "]}";
    }

    /** A payload with {@code iss}, {@code sub}, {@code exp} and {@code extra} JSON members ("" for none). */
    public static String claims(String iss, String sub, long exp, String extra) {
        return "{\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\",\"exp\":" + exp + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** A provider as Istio writes a JWT rule: payload in metadata under {@code payload}, keys inline. */
    public static JwtProvider.Builder provider(String issuer, String jwks) {
        return JwtProvider.newBuilder().setIssuer(issuer).setPayloadInMetadata("payload")
                .setLocalJwks(DataSource.newBuilder().setInlineString(jwks));
    }

    /** Istio's filter for one provider: any(origins-0, allow_missing) on every path, CORS preflights bypassed. */
    public static JwtAuthentication oneProvider(JwtProvider.Builder provider) {
        JwtRequirement requires = JwtRequirement.newBuilder().setRequiresAny(JwtRequirementOrList.newBuilder()
                .addRequirements(JwtRequirement.newBuilder().setProviderName("origins-0"))
                .addRequirements(JwtRequirement.newBuilder().setAllowMissing(Empty.getDefaultInstance()))).build();
        return JwtAuthentication.newBuilder().putProviders("origins-0", provider.build()).setBypassCorsPreflight(true)
                .addRules(RequirementRule.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/")).setRequires(requires))
                .build();
    }

    public static HttpFilter httpJwt(JwtAuthentication config) {
        return HttpFilter.newBuilder().setName("envoy.filters.http.jwt_authn").setTypedConfig(Any.pack(config)).build();
    }

    /** Istio's requestPrincipals ["*"]: the verified payload has an iss and a sub. */
    public static Principal anyRequestPrincipal() {
        StringMatcher any = StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(".+")).build();
        return Principal.newBuilder().setAndIds(Principal.Set.newBuilder()
                .addIds(claim("iss", ValueMatcher.newBuilder().setStringMatch(any).build()))
                .addIds(claim("sub", ValueMatcher.newBuilder().setStringMatch(any).build()))).build();
    }

    public static Principal claim(String name, ValueMatcher value) {
        return Principal.newBuilder().setMetadata(MetadataMatcher.newBuilder().setFilter("envoy.filters.http.jwt_authn")
                .addPath(MetadataMatcher.PathSegment.newBuilder().setKey("payload"))
                .addPath(MetadataMatcher.PathSegment.newBuilder().setKey(name)).setValue(value)).build();
    }
}
