package dev.windlass.discovery.security;

import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.RequestAuthenticationSpec;
import dev.windlass.traffic.istio.RequestAuthenticationSpec.JwtRule;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where the discovery server fetches a JWT rule's keys, as istiod does: its {@code jwksUri}, else (no keys named) the
 * {@code jwks_uri} of its issuer's OpenID configuration ({@code openIdConfiguration}: {@code uri} is that document).
 * A rule with inline {@code jwks} has none: inline keys win, as in Istio.
 */
public record JwksSource(String uri, boolean openIdConfiguration) {
    /** OpenID Connect Discovery 1.0: the configuration document's path under the issuer. */
    public static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";

    public static Optional<JwksSource> of(JwtRule rule) {
        if (rule.jwks() != null && !rule.jwks().isEmpty()) {
            return Optional.empty();
        }
        if (rule.jwksUri() != null && !rule.jwksUri().isEmpty()) {
            return Optional.of(new JwksSource(rule.jwksUri(), false));
        }
        String issuer = rule.issuer().endsWith("/") ? rule.issuer().substring(0, rule.issuer().length() - 1) : rule.issuer();
        return Optional.of(new JwksSource(issuer + OPENID_CONFIGURATION, true));
    }

    /** The sources the RequestAuthentications' rules fetch keys from, each with the policies ({@code ns/name}) naming it. */
    public static Map<JwksSource, Set<String>> inUse(List<IstioResource<RequestAuthenticationSpec>> policies) {
        Map<JwksSource, Set<String>> users = new TreeMap<>(Comparator.comparing(JwksSource::uri)
                .thenComparing(JwksSource::openIdConfiguration));
        for (IstioResource<RequestAuthenticationSpec> policy : policies) {
            for (JwtRule rule : policy.spec().jwtRules()) {
                of(rule).ifPresent(source -> users.computeIfAbsent(source, s -> new TreeSet<>()).add(policy.key()));
            }
        }
        return users;
    }

    /** The URI without user info, query or fragment, which may carry credentials: what logs may show. */
    public String forLogs() {
        return loggable(uri);
    }

    static String loggable(String uri) {
        try {
            URI parsed = new URI(uri);
            return new URI(parsed.getScheme(), null, parsed.getHost(), parsed.getPort(), parsed.getPath(), null, null).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return "<an invalid URI>";
        }
    }
}
