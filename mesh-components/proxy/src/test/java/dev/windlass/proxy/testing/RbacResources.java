package dev.windlass.proxy.testing;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.List;

/** Envoy RBAC filters as Istio writes AuthorizationPolicy, and the rules' building blocks, for tests. */
public final class RbacResources {
    private RbacResources() {
    }

    public static RBAC rules(RBAC.Action action, String name, Policy policy) {
        return RBAC.newBuilder().setAction(action).putPolicies(name, policy).build();
    }

    public static Policy policy(Permission permission, Principal principal) {
        return Policy.newBuilder().addPermissions(permission).addPrincipals(principal).build();
    }

    public static HttpFilter httpRbac(RBAC rules) {
        return HttpFilter.newBuilder().setName("envoy.filters.http.rbac").setTypedConfig(Any.pack(
                io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder().setRules(rules).build())).build();
    }

    public static HttpFilter router() {
        return HttpFilter.newBuilder().setName("envoy.filters.http.router")
                .setTypedConfig(Any.pack(Router.getDefaultInstance())).build();
    }

    public static Filter networkRbac(RBAC rules) {
        return Filter.newBuilder().setName("envoy.filters.network.rbac").setTypedConfig(Any.pack(
                io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder().setStatPrefix("tcp.")
                        .setRules(rules).build())).build();
    }

    /** An HttpConnectionManager on RDS {@code routeName} with these HTTP filters (the router last). */
    public static Filter hcm(String routeName, List<HttpFilter> rbacFilters) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix("inbound_0.0.0.0_" + routeName)
                .setRds(Rds.newBuilder().setRouteConfigName(routeName).setConfigSource(Resources.ads()))
                .addAllHttpFilters(rbacFilters).addHttpFilters(router()).build();
        return Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(hcm)).build();
    }

    public static StringMatcher exact(String value) {
        return StringMatcher.newBuilder().setExact(value).build();
    }

    public static Permission urlPath(StringMatcher path) {
        return Permission.newBuilder().setUrlPath(PathMatcher.newBuilder().setPath(path)).build();
    }

    public static Permission header(String name, StringMatcher value) {
        return Permission.newBuilder().setHeader(HeaderMatcher.newBuilder().setName(name).setStringMatch(value)).build();
    }

    public static Permission method(String method) {
        return header(":method", exact(method));
    }

    public static Permission port(int port) {
        return Permission.newBuilder().setDestinationPort(port).build();
    }

    public static Permission anyPermission() {
        return Permission.newBuilder().setAny(true).build();
    }

    public static Principal anyPrincipal() {
        return Principal.newBuilder().setAny(true).build();
    }

    public static Principal authenticated(StringMatcher name) {
        return Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(name)).build();
    }

    public static CidrRange cidr(String address, int length) {
        return CidrRange.newBuilder().setAddressPrefix(address).setPrefixLen(UInt32Value.of(length)).build();
    }
}
