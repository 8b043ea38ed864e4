package dev.windlass.discovery.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.model.MeshSnapshot;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** AuthorizationPolicies as the RBAC filters of a sidecar's inbound chains, rule by rule. */
class InboundRbacTest {
    private static final String PRODUCTPAGE = "sidecar~10.244.0.5~productpage-v1-6b746f74dc-x2k4p.bookinfo~bookinfo.svc.cluster.local";
    private static final String DB = "sidecar~10.244.1.1~db-a-0.data~data.svc.cluster.local";

    @Test
    void withoutPoliciesTheChainsHaveNoRbac() throws Exception {
        Listener inbound = inbound(snapshot("http"), PRODUCTPAGE);
        assertThat(httpFilters(chain(inbound, "inbound|9080||_mtls"))).doesNotContain(InboundRbac.HTTP_FILTER);
    }

    /** Istio's allow-nothing policy: an ALLOW RBAC without policies, on every chain (HTTP and the passthrough). */
    @Test
    void anEmptyAllowPolicyDeniesEverything() throws Exception {
        Listener inbound = inbound(snapshot("http", "{metadata: {name: allow-nothing, namespace: bookinfo}, spec: {}}"), PRODUCTPAGE);

        List<RBAC> rbac = httpRbac(chain(inbound, "inbound|9080||_mtls"));
        assertThat(rbac).singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(RBAC.Action.ALLOW);
            assertThat(r.getPoliciesMap()).isEmpty();
        });
        assertThat(inbound.getDefaultFilterChain().getFilters(0).getName()).isEqualTo(InboundRbac.NETWORK_FILTER);
    }

    /** Istio's HTTP task: productpage's GET from the ingress gateway's account; DENY before ALLOW. */
    @Test
    void allowAndDenyPoliciesBecomeTwoFiltersDenyFirst() throws Exception {
        Listener inbound = inbound(snapshot("http",
                "{metadata: {name: get, namespace: bookinfo}, spec: {selector: {matchLabels: {app: productpage}}, "
                        + "rules: [{from: [{source: {principals: [cluster.local/ns/windlass-system/sa/windlass-ingressgateway]}}], "
                        + "to: [{operation: {methods: [GET]}}]}]}}",
                "{metadata: {name: no-admin, namespace: bookinfo}, spec: {action: DENY, rules: [{to: [{operation: {paths: [/admin*]}}]}]}}"),
                PRODUCTPAGE);

        List<RBAC> rbac = httpRbac(chain(inbound, "inbound|9080||"));
        assertThat(rbac).extracting(RBAC::getAction).containsExactly(RBAC.Action.DENY, RBAC.Action.ALLOW);
        assertThat(rbac.get(0).getPoliciesMap()).containsOnlyKeys("ns[bookinfo]-policy[no-admin]-rule[0]");
        assertThat(rbac.get(0).getPoliciesOrThrow("ns[bookinfo]-policy[no-admin]-rule[0]").getPermissions(0)
                .getUrlPath().getPath().getPrefix()).isEqualTo("/admin");
        var allow = rbac.get(1).getPoliciesOrThrow("ns[bookinfo]-policy[get]-rule[0]");
        assertThat(allow.getPrincipals(0).getAuthenticated().getPrincipalName().getExact())
                .isEqualTo("spiffe://cluster.local/ns/windlass-system/sa/windlass-ingressgateway");
        assertThat(allow.getPermissions(0).getHeader().getName()).isEqualTo(":method");
        assertThat(allow.getPermissions(0).getHeader().getStringMatch().getExact()).isEqualTo("GET");
        assertThat(httpFilters(chain(inbound, "inbound|9080||")).getLast()).isEqualTo(Envoy.ROUTER);
    }

    /** AUDIT is Envoy's LOG action, in a filter of its own before DENY and ALLOW; on TCP its HTTP rules are left out. */
    @Test
    void anAuditPolicyIsALogFilterFirst() throws Exception {
        Listener inbound = inbound(snapshot("http",
                "{metadata: {name: audit-admin, namespace: bookinfo}, spec: {action: AUDIT, rules: [{to: [{operation: {paths: [/admin*]}}]}]}}",
                "{metadata: {name: no-admin, namespace: bookinfo}, spec: {action: DENY, rules: [{to: [{operation: {paths: [/admin]}}]}]}}"),
                PRODUCTPAGE);

        List<RBAC> rbac = httpRbac(chain(inbound, "inbound|9080||"));

        assertThat(rbac).extracting(RBAC::getAction).containsExactly(RBAC.Action.LOG, RBAC.Action.DENY);
        assertThat(rbac.get(0).getPoliciesMap()).containsOnlyKeys("ns[bookinfo]-policy[audit-admin]-rule[0]");
    }

    /** On TCP an ALLOW rule with HTTP fields is left out (so nothing is allowed), a DENY rule keeps its port. */
    @Test
    void onTcpHttpOnlyFieldsAreLeftOutAsIstioDoes() throws Exception {
        Listener inbound = inbound(snapshot("tcp",
                "{metadata: {name: get-only, namespace: data}, spec: {rules: [{to: [{operation: {methods: [GET]}}]}]}}",
                "{metadata: {name: deny-5432, namespace: data}, spec: {action: DENY, rules: [{to: [{operation: {methods: [GET], ports: ['5432']}}]}]}}"),
                DB);

        FilterChain tcp = inbound.getFilterChainsList().stream().filter(c -> !c.getName().endsWith("_mtls")
                && c.getFilters(c.getFiltersCount() - 1).getName().contains("tcp_proxy")).findFirst().orElseThrow();
        List<RBAC> rbac = new ArrayList<>();
        for (var filter : tcp.getFiltersList()) {
            if (filter.getName().equals(InboundRbac.NETWORK_FILTER)) {
                rbac.add(filter.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class).getRules());
            }
        }
        assertThat(rbac).extracting(RBAC::getAction).containsExactly(RBAC.Action.DENY, RBAC.Action.ALLOW);
        assertThat(rbac.get(0).getPoliciesOrThrow("ns[data]-policy[deny-5432]-rule[0]").getPermissions(0).getDestinationPort())
                .isEqualTo(5432);
        assertThat(rbac.get(1).getPoliciesMap()).as("the GET-only rule means nothing to TCP").isEmpty();
    }

    /** A policy selecting the ingress gateway's pods (in the root namespace) is enforced on its listeners. */
    @Test
    void aPolicySelectingTheGatewayIsOnItsListeners() throws Exception {
        var listeners = Translator.translate(snapshot("gateway-seeds",
                "{metadata: {name: gateway-no-admin, namespace: windlass-system}, spec: {selector: {matchLabels: {istio: ingressgateway}}, "
                        + "action: DENY, rules: [{to: [{operation: {paths: [/admin]}}]}]}}"),
                ProxyNode.parse("router~10.244.9.9~windlass-ingressgateway-7d9c-abcde.windlass-system~windlass-system.svc.cluster.local"))
                .listeners();

        assertThat(listeners).isNotEmpty();
        assertThat(listeners.values()).allSatisfy(l -> assertThat(l.getFilterChainsList()).allSatisfy(chain ->
                assertThat(chain.getFilters(chain.getFiltersCount() - 1).getName().contains("http_connection_manager")
                        ? httpFilters(chain).contains(InboundRbac.HTTP_FILTER)
                        : chain.getFilters(0).getName().equals(InboundRbac.NETWORK_FILTER)).as(chain.getName()).isTrue()));
    }

    private static Listener inbound(MeshSnapshot snapshot, String node) {
        return Translator.translate(snapshot, ProxyNode.parse(node)).listeners().get(IstioNames.VIRTUAL_INBOUND);
    }

    private static FilterChain chain(Listener listener, String name) {
        return listener.getFilterChainsList().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> httpFilters(FilterChain chain) throws InvalidProtocolBufferException {
        return hcm(chain).getHttpFiltersList().stream().map(f -> f.getName()).toList();
    }

    private static List<RBAC> httpRbac(FilterChain chain) throws InvalidProtocolBufferException {
        List<RBAC> rbac = new ArrayList<>();
        for (var filter : hcm(chain).getHttpFiltersList()) {
            if (filter.getName().equals(InboundRbac.HTTP_FILTER)) {
                rbac.add(filter.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class).getRules());
            }
        }
        return rbac;
    }

    private static HttpConnectionManager hcm(FilterChain chain) throws InvalidProtocolBufferException {
        return chain.getFilters(chain.getFiltersCount() - 1).getTypedConfig().unpack(HttpConnectionManager.class);
    }

    private static MeshSnapshot snapshot(String fixture, String... policies) {
        return Fixtures.snapshotWith(fixture, "security.istio.io/v1", "AuthorizationPolicy", policies);
    }
}
