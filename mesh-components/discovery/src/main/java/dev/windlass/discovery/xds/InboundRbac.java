package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.security.ResolvedJwks;
import dev.windlass.traffic.istio.AuthorizationPolicySpec;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.RequestAuthenticationSpec;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A workload's AuthorizationPolicies and RequestAuthentications on the chains that serve it (a sidecar's inbound
 * chains, a gateway's listeners), as Istio writes them: an HTTP chain gets the JWT filter ({@link InboundJwt}) when a
 * RequestAuthentication applies, then RBAC HTTP filters before the router (the AUDIT policies' first, Envoy's LOG action,
 * then the DENY policies', then the ALLOW policies' when there are any), a TCP chain RBAC network
 * filters before tcp_proxy. Denied HTTP is answered 403 {@code RBAC: access denied}, denied TCP is closed. With an
 * ALLOW policy and no rule of it matching, everything is denied; without policies the chains are as they were. On
 * TCP, an ALLOW rule naming HTTP attributes never matches (it is left out), a DENY rule is kept without them.
 */
final class InboundRbac {
    static final String HTTP_FILTER = "envoy.filters.http.rbac";
    static final String NETWORK_FILTER = "envoy.filters.network.rbac";

    private final List<IstioResource<AuthorizationPolicySpec>> policies;
    private final Optional<HttpFilter> jwt;

    InboundRbac(List<IstioResource<AuthorizationPolicySpec>> policies,
                List<IstioResource<RequestAuthenticationSpec>> authentications, ResolvedJwks jwks) {
        this.policies = policies;
        this.jwt = InboundJwt.filter(authentications, jwks);
    }

    /** The chain with its filters; chains to BlackHoleCluster and chains without policies stay as they are. */
    FilterChain apply(FilterChain chain) {
        if (policies.isEmpty() && jwt.isEmpty() || chain.getFiltersCount() == 0) {
            return chain;
        }
        Filter terminal = chain.getFilters(chain.getFiltersCount() - 1);
        try {
            if (terminal.getTypedConfig().is(HttpConnectionManager.class)) {
                return http(chain, terminal.getTypedConfig().unpack(HttpConnectionManager.class));
            }
            TcpProxy tcp = terminal.getTypedConfig().unpack(TcpProxy.class);
            return tcp.getCluster().equals(IstioNames.BLACKHOLE) || policies.isEmpty() ? chain : tcp(chain);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a chain the builder wrote does not decode", e);
        }
    }

    private FilterChain http(FilterChain chain, HttpConnectionManager hcm) {
        List<HttpFilter> filters = new ArrayList<>();
        jwt.ifPresent(filters::add);
        rbac(false, AuthorizationPolicySpec.AUDIT).ifPresent(r -> filters.add(httpFilter(r)));
        rbac(false, AuthorizationPolicySpec.DENY).ifPresent(r -> filters.add(httpFilter(r)));
        rbac(false, AuthorizationPolicySpec.ALLOW).ifPresent(r -> filters.add(httpFilter(r)));
        filters.addAll(hcm.getHttpFiltersList());
        HttpConnectionManager withRbac = hcm.toBuilder().clearHttpFilters().addAllHttpFilters(filters).build();
        return chain.toBuilder().setFilters(chain.getFiltersCount() - 1, chain.getFilters(chain.getFiltersCount() - 1)
                .toBuilder().setTypedConfig(Any.pack(withRbac))).build();
    }

    private FilterChain tcp(FilterChain chain) {
        List<Filter> filters = new ArrayList<>();
        rbac(true, AuthorizationPolicySpec.AUDIT).ifPresent(r -> filters.add(networkFilter(r)));
        rbac(true, AuthorizationPolicySpec.DENY).ifPresent(r -> filters.add(networkFilter(r)));
        rbac(true, AuthorizationPolicySpec.ALLOW).ifPresent(r -> filters.add(networkFilter(r)));
        filters.addAll(chain.getFiltersList());
        return chain.toBuilder().clearFilters().addAllFilters(filters).build();
    }

    /**
     * The RBAC of one action: empty for DENY or AUDIT without rules, or when no policy of the action applies. AUDIT is
     * Envoy's LOG action, first, so that every request it matches is marked, denied or not.
     */
    private Optional<RBAC> rbac(boolean tcp, String action) {
        List<IstioResource<AuthorizationPolicySpec>> ofAction = policies.stream()
                .filter(p -> p.spec().actionOrDefault().equals(action)).toList();
        if (ofAction.isEmpty()) {
            return Optional.empty();
        }
        boolean allow = action.equals(AuthorizationPolicySpec.ALLOW);
        RBAC.Builder rbac = RBAC.newBuilder().setAction(allow ? RBAC.Action.ALLOW
                : action.equals(AuthorizationPolicySpec.AUDIT) ? RBAC.Action.LOG : RBAC.Action.DENY);
        for (IstioResource<AuthorizationPolicySpec> policy : ofAction) {
            List<AuthorizationPolicySpec.Rule> rules = policy.spec().rules();
            for (int i = 0; i < rules.size(); i++) {
                // On TCP a rule about HTTP can match nothing: ALLOW and AUDIT leave it out, DENY keeps the rest of it.
                if (!(tcp && !action.equals(AuthorizationPolicySpec.DENY) && RbacRules.httpOnly(rules.get(i)))) {
                    rbac.putPolicies("ns[" + policy.namespace() + "]-policy[" + policy.name() + "]-rule[" + i + "]",
                            RbacRules.policy(rules.get(i), tcp));
                }
            }
        }
        return allow || rbac.getPoliciesCount() > 0 ? Optional.of(rbac.build()) : Optional.empty();
    }

    private static HttpFilter httpFilter(RBAC rules) {
        return HttpFilter.newBuilder().setName(HTTP_FILTER).setTypedConfig(Any.pack(
                io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder().setRules(rules).build())).build();
    }

    private static Filter networkFilter(RBAC rules) {
        return Filter.newBuilder().setName(NETWORK_FILTER).setTypedConfig(Any.pack(
                io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder().setRules(rules)
                        .setStatPrefix("tcp.").build())).build();
    }
}
