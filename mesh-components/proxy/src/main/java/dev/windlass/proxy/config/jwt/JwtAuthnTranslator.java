package dev.windlass.proxy.config.jwt;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.windlass.proxy.config.InvalidConfigException;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RequirementRule;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication to {@link JwtAuthnFilter}, for the shape Istio writes
 * (one rule for every path, inline JWKS, header and query locations). What Windlass does not implement is refused by
 * name (remote JWKS, cookies, per-route requirements, subjects, lifetimes...), never skipped: a skipped check would
 * let tokens through that Envoy refuses.
 */
public final class JwtAuthnTranslator {
    public static final String FILTER = dev.windlass.contract.IstioNames.JWT_AUTHN_FILTER;
    /** Envoy's default when clock_skew_seconds is unset. */
    private static final long DEFAULT_CLOCK_SKEW = 60;

    private JwtAuthnTranslator() {
    }

    /** The HCM's JWT filter, or null when it has none (or one without rules, which verifies nothing). */
    public static JwtAuthnFilter http(String where, List<HttpFilter> filters) throws InvalidConfigException {
        JwtAuthnFilter found = null;
        for (HttpFilter filter : filters) {
            if (!filter.getTypedConfig().is(JwtAuthentication.class)) {
                if (filter.getName().equals(FILTER)) {
                    throw new InvalidConfigException(where + ": http filter " + FILTER + ": only an inline typed_config "
                            + "envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication is supported by Windlass");
                }
                if (filter.getName().equals("envoy.filters.http.rbac") && found == null && hasJwtAfter(filters, filter)) {
                    throw new InvalidConfigException(where + ": a JWT filter after an RBAC filter is not supported by Windlass");
                }
                continue;
            }
            if (found != null) {
                throw new InvalidConfigException(where + ": more than one JWT filter is not supported by Windlass");
            }
            try {
                found = translate(where + ": http filter " + filter.getName(),
                        filter.getTypedConfig().unpack(JwtAuthentication.class));
            } catch (InvalidProtocolBufferException e) {
                throw new InvalidConfigException(where + ": cannot decode " + filter.getTypedConfig().getTypeUrl(), e);
            }
        }
        return found;
    }

    private static boolean hasJwtAfter(List<HttpFilter> filters, HttpFilter rbac) {
        return filters.subList(filters.indexOf(rbac), filters.size()).stream()
                .anyMatch(f -> f.getTypedConfig().is(JwtAuthentication.class));
    }

    static JwtAuthnFilter translate(String where, JwtAuthentication config) throws InvalidConfigException {
        if (config.getFilterStateRules().getRequiresCount() > 0 || config.getRequirementMapCount() > 0
                || config.getStripFailureResponse()) {
            throw new InvalidConfigException(where + ": filter_state_rules, requirement_map and strip_failure_response "
                    + "are not supported by Windlass");
        }
        if (config.getRulesCount() == 0) {
            return null;
        }
        if (config.getRulesCount() > 1 || !everyPath(config.getRules(0)) || !config.getRules(0).hasRequires()) {
            throw new InvalidConfigException(where + ": only one rule, for prefix \"/\" with a requires, is supported by Windlass");
        }
        // Sorted by name, so that provider indexes do not depend on the map's order.
        Map<String, JwtProvider> byName = new TreeMap<>(config.getProvidersMap());
        List<String> names = new ArrayList<>(byName.keySet());
        List<JwtProviderRule> providers = new ArrayList<>();
        Set<String> payloadKeys = new HashSet<>();
        for (Map.Entry<String, JwtProvider> entry : byName.entrySet()) {
            providers.add(provider(where + " provider " + entry.getKey(), entry.getKey(), entry.getValue()));
            payloadKeys.add(entry.getValue().getPayloadInMetadata());
        }
        if (payloadKeys.size() > 1) {
            throw new InvalidConfigException(where + ": providers with different payload_in_metadata are not supported by Windlass");
        }
        String payloadKey = payloadKeys.isEmpty() || payloadKeys.contains("") ? null : payloadKeys.iterator().next();
        JwtRequirement requirement = JwtRequirements.compile(where, config.getRules(0).getRequires(), names, List.of());
        return new JwtAuthnFilter(providers, requirement, config.getBypassCorsPreflight(), payloadKey);
    }

    private static boolean everyPath(RequirementRule rule) {
        RouteMatch match = rule.getMatch();
        return match.getPathSpecifierCase() == RouteMatch.PathSpecifierCase.PREFIX && match.getPrefix().equals("/")
                && match.getHeadersCount() == 0 && match.getQueryParametersCount() == 0 && !match.hasRuntimeFraction()
                && !match.hasGrpc() && !match.hasTlsContext() && match.getDynamicMetadataCount() == 0;
    }

    private static JwtProviderRule provider(String where, String name, JwtProvider p) throws InvalidConfigException {
        if (p.hasRemoteJwks() || !p.hasLocalJwks()) {
            throw new InvalidConfigException(where + ": only local_jwks is supported by Windlass (no remote_jwks)");
        }
        if (p.getFromCookiesCount() > 0 || p.hasSubjects() || p.hasMaxLifetime() || p.getRequireExpiration()
                || !p.getHeaderInMetadata().isEmpty() || !p.getFailedStatusInMetadata().isEmpty()
                || p.hasNormalizePayloadInMetadata() || p.getPadForwardPayloadHeader()) {
            throw new InvalidConfigException(where + ": from_cookies, subjects, max_lifetime, require_expiration, "
                    + "header_in_metadata, failed_status_in_metadata, normalize_payload_in_metadata and "
                    + "pad_forward_payload_header are not supported by Windlass");
        }
        String jwks = switch (p.getLocalJwks().getSpecifierCase()) {
            case INLINE_STRING -> p.getLocalJwks().getInlineString();
            case INLINE_BYTES -> p.getLocalJwks().getInlineBytes().toStringUtf8();
            default -> throw new InvalidConfigException(where + ": local_jwks must be inline to be supported by Windlass");
        };
        List<JwtProviderRule.HeaderLocation> headers = new ArrayList<>();
        p.getFromHeadersList().forEach(h -> headers.add(new JwtProviderRule.HeaderLocation(
                h.getName().toLowerCase(Locale.ROOT), h.getValuePrefix())));
        List<String> params = new ArrayList<>(p.getFromParamsList());
        if (headers.isEmpty() && params.isEmpty()) {
            // Envoy's default locations.
            headers.add(new JwtProviderRule.HeaderLocation("authorization", "Bearer "));
            params.add("access_token");
        }
        Set<String> audiences = new HashSet<>();
        p.getAudiencesList().forEach(a -> audiences.add(JwtProviderRule.normalizedAudience(a)));
        List<JwtProviderRule.ClaimHeader> claims = new ArrayList<>();
        p.getClaimToHeadersList().forEach(c -> claims.add(new JwtProviderRule.ClaimHeader(
                c.getHeaderName().toLowerCase(Locale.ROOT), c.getClaimName())));
        return new JwtProviderRule(name, p.getIssuer(), audiences, JwtKeys.parse(where, jwks), headers, params,
                p.getForward(), p.getForwardPayloadHeader().isEmpty() ? null : p.getForwardPayloadHeader().toLowerCase(Locale.ROOT),
                claims, p.getClockSkewSeconds() == 0 ? DEFAULT_CLOCK_SKEW : p.getClockSkewSeconds(), new VerifiedTokens());
    }
}
