package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.security.ResolvedJwks;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.RequestAuthenticationSpec;
import dev.windlass.traffic.istio.RequestAuthenticationSpec.JwtRule;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtClaimToHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementAndList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementOrList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RequirementRule;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A workload's RequestAuthentications as the {@code envoy.filters.http.jwt_authn} filter Istio writes: one provider
 * per JWT rule ({@code origins-<i>}, rules sorted by issuer), the payload of a verified token in the filter's
 * metadata under {@code payload} (what request principals and {@code request.auth.*} conditions match), and a
 * requirement that lets requests without a token through but refuses an invalid one: with one provider
 * {@code any(provider, allow_missing)}, with more {@code any(P1..Pn, all(any(P1, allow_missing)..))}.
 */
final class InboundJwt {
    private InboundJwt() {
    }

    /**
     * The filter, or empty when no RequestAuthentication with rules applies. A rule's keys are its inline jwks, else
     * those the discovery server fetched for it ({@code jwks}), else keys no token verifies with (fail closed).
     */
    static Optional<HttpFilter> filter(List<IstioResource<RequestAuthenticationSpec>> policies, ResolvedJwks jwks) {
        List<JwtRule> rules = policies.stream().flatMap(p -> p.spec().jwtRules().stream())
                .sorted(Comparator.comparing(JwtRule::issuer)).toList();
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        JwtAuthentication.Builder config = JwtAuthentication.newBuilder().setBypassCorsPreflight(true);
        List<JwtRequirement> each = new ArrayList<>();
        List<JwtRequirement> any = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            String name = "origins-" + i;
            config.putProviders(name, provider(rules.get(i), jwks.forRule(rules.get(i))));
            JwtRequirement provider = JwtRequirement.newBuilder().setProviderName(name).build();
            any.add(provider);
            each.add(anyOf(List.of(provider, JwtRequirement.newBuilder().setAllowMissing(Empty.getDefaultInstance()).build())));
        }
        JwtRequirement requires = each.size() == 1 ? each.getFirst() : anyOf(concat(any,
                JwtRequirement.newBuilder().setRequiresAll(JwtRequirementAndList.newBuilder().addAllRequirements(each)).build()));
        config.addRules(RequirementRule.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/")).setRequires(requires));
        return Optional.of(HttpFilter.newBuilder().setName(IstioNames.JWT_AUTHN_FILTER)
                .setTypedConfig(Any.pack(config.build())).build());
    }

    private static JwtProvider provider(JwtRule rule, String keys) {
        JwtProvider.Builder provider = JwtProvider.newBuilder().setIssuer(rule.issuer()).addAllAudiences(rule.audiences())
                .setForward(rule.forwardsOriginalToken())
                .setPayloadInMetadata(IstioNames.JWT_PAYLOAD_METADATA)
                .setLocalJwks(DataSource.newBuilder().setInlineString(keys))
                .addAllFromParams(rule.fromParams());
        if (rule.outputPayloadToHeader() != null) {
            provider.setForwardPayloadHeader(rule.outputPayloadToHeader());
        }
        rule.fromHeaders().forEach(h -> provider.addFromHeaders(JwtHeader.newBuilder().setName(h.name())
                .setValuePrefix(h.prefix() == null ? "" : h.prefix())));
        rule.outputClaimToHeaders().forEach(c -> provider.addClaimToHeaders(JwtClaimToHeader.newBuilder()
                .setHeaderName(c.header()).setClaimName(c.claim())));
        return provider.build();
    }

    private static JwtRequirement anyOf(List<JwtRequirement> requirements) {
        return JwtRequirement.newBuilder().setRequiresAny(JwtRequirementOrList.newBuilder().addAllRequirements(requirements)).build();
    }

    private static List<JwtRequirement> concat(List<JwtRequirement> first, JwtRequirement last) {
        List<JwtRequirement> all = new ArrayList<>(first);
        all.add(last);
        return all;
    }
}
