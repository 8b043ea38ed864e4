package dev.windlass.proxy.config.rbac;

import com.google.api.expr.v1alpha1.Expr;
import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import dev.windlass.proxy.config.InvalidConfigException;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.Int32Range;
import org.junit.jupiter.api.Test;

import static dev.windlass.proxy.config.rbac.RbacTestInput.connection;
import static dev.windlass.proxy.config.rbac.RbacTestInput.request;
import static dev.windlass.proxy.testing.RbacResources.anyPermission;
import static dev.windlass.proxy.testing.RbacResources.anyPrincipal;
import static dev.windlass.proxy.testing.RbacResources.authenticated;
import static dev.windlass.proxy.testing.RbacResources.cidr;
import static dev.windlass.proxy.testing.RbacResources.exact;
import static dev.windlass.proxy.testing.RbacResources.header;
import static dev.windlass.proxy.testing.RbacResources.method;
import static dev.windlass.proxy.testing.RbacResources.policy;
import static dev.windlass.proxy.testing.RbacResources.port;
import static dev.windlass.proxy.testing.RbacResources.urlPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** envoy.config.rbac.v3.RBAC compiled and evaluated with Envoy's semantics, and what is refused, by name. */
class RbacTranslatorTest {
    private static final String WEB = "spiffe://cluster.local/ns/shop/sa/web";

    private static RbacRules allow(Permission permission, Principal principal) throws InvalidConfigException {
        return RbacTranslator.rules("test", RBAC.newBuilder().setAction(RBAC.Action.ALLOW)
                .putPolicies("p", policy(permission, principal)).build());
    }

    private static RbacRules allowPeer(StringMatcher name) throws InvalidConfigException {
        return allow(anyPermission(), authenticated(name));
    }

    private static Permission.Set permissions(Permission... rules) {
        return Permission.Set.newBuilder().addAllRules(java.util.List.of(rules)).build();
    }

    @Test
    void allowWithoutPoliciesDeniesEverything() throws Exception {
        RbacRules rules = RbacTranslator.rules("test", RBAC.newBuilder().setAction(RBAC.Action.ALLOW).build());
        assertThat(rules.allows(request("GET", "/"))).isFalse();
        assertThat(rules.allows(connection(80))).isFalse();
    }

    @Test
    void denyRefusesWhatAPolicyMatchesAndLetsTheRestThrough() throws Exception {
        RbacRules rules = RbacTranslator.rules("test", RBAC.newBuilder().setAction(RBAC.Action.DENY)
                .putPolicies("no-admin", policy(urlPath(exact("/admin")), anyPrincipal()))
                .putPolicies("no-delete", policy(method("DELETE"), anyPrincipal())).build());
        assertThat(rules.allows(request("GET", "/admin"))).isFalse();
        assertThat(rules.matchedPolicy(request("GET", "/admin")).name()).isEqualTo("no-admin");
        assertThat(rules.allows(request("DELETE", "/x"))).isFalse();
        assertThat(rules.allows(request("GET", "/x"))).isTrue();
        assertThat(RbacTranslator.rules("test", RBAC.newBuilder().setAction(RBAC.Action.DENY).build())
                .allows(request("GET", "/"))).as("DENY without policies").isTrue();
    }

    @Test
    void aPolicyNeedsOneOfItsPermissionsAndOneOfItsPrincipals() throws Exception {
        RbacRules rules = RbacTranslator.rules("test", RBAC.newBuilder().setAction(RBAC.Action.ALLOW)
                .putPolicies("p", Policy.newBuilder().addPermissions(method("GET")).addPermissions(method("HEAD"))
                        .addPrincipals(authenticated(exact(WEB)))
                        .addPrincipals(Principal.newBuilder().setDirectRemoteIp(cidr("10.1.0.0", 16))).build()).build());
        assertThat(rules.allows(request("HEAD", "/").withPeer(WEB))).isTrue();
        assertThat(rules.allows(request("GET", "/").from("10.1.2.3"))).isTrue();
        assertThat(rules.allows(request("GET", "/"))).as("no principal matches").isFalse();
        assertThat(rules.allows(request("POST", "/").withPeer(WEB))).as("no permission matches").isFalse();
    }

    @Test
    void andOrAndNotTrees() throws Exception {
        // (GET or HEAD) and not /private*, from web and not from 10.0.0.0/8
        Permission readPublic = Permission.newBuilder().setAndRules(permissions(
                Permission.newBuilder().setOrRules(permissions(method("GET"), method("HEAD"))).build(),
                Permission.newBuilder().setNotRule(urlPath(StringMatcher.newBuilder().setPrefix("/private").build())).build()))
                .build();
        Principal webOutsideTen = Principal.newBuilder().setAndIds(Principal.Set.newBuilder()
                .addIds(Principal.newBuilder().setOrIds(Principal.Set.newBuilder().addIds(authenticated(exact(WEB)))))
                .addIds(Principal.newBuilder().setNotId(Principal.newBuilder().setRemoteIp(cidr("10.0.0.0", 8))))).build();
        RbacRules rules = allow(readPublic, webOutsideTen);
        assertThat(rules.allows(request("GET", "/public").withPeer(WEB).from("192.168.1.1"))).isTrue();
        assertThat(rules.allows(request("HEAD", "/public").withPeer(WEB).from("192.168.1.1"))).isTrue();
        assertThat(rules.allows(request("POST", "/public").withPeer(WEB).from("192.168.1.1"))).isFalse();
        assertThat(rules.allows(request("GET", "/private/x").withPeer(WEB).from("192.168.1.1"))).isFalse();
        assertThat(rules.allows(request("GET", "/public").withPeer(WEB).from("10.9.9.9"))).isFalse();
        assertThat(rules.allows(request("GET", "/public").from("192.168.1.1"))).isFalse();
    }

    @Test
    void authenticatedMatchesThePeerSpiffeIdExactlyByPrefixSuffixOrRegex() throws Exception {
        String other = "spiffe://cluster.local/ns/billing/sa/web";
        assertThat(allowPeer(exact(WEB)).allows(request("GET", "/").withPeer(WEB))).isTrue();
        assertThat(allowPeer(exact(WEB)).allows(request("GET", "/").withPeer(other))).isFalse();
        RbacRules prefix = allowPeer(StringMatcher.newBuilder().setPrefix("spiffe://cluster.local/ns/shop/").build());
        assertThat(prefix.allows(request("GET", "/").withPeer(WEB))).isTrue();
        assertThat(prefix.allows(request("GET", "/").withPeer(other))).isFalse();
        RbacRules suffix = allowPeer(StringMatcher.newBuilder().setSuffix("/sa/web").build());
        assertThat(suffix.allows(request("GET", "/").withPeer(other))).isTrue();
        assertThat(suffix.allows(request("GET", "/").withPeer(WEB + "2"))).isFalse();
        // Istio's namespaces: [shop]
        RbacRules regex = allowPeer(StringMatcher.newBuilder()
                .setSafeRegex(RegexMatcher.newBuilder().setRegex(".*/ns/shop/.*")).build());
        assertThat(regex.allows(request("GET", "/").withPeer(WEB))).isTrue();
        assertThat(regex.allows(request("GET", "/").withPeer(other))).isFalse();
        assertThat(regex.allows(request("GET", "/"))).as("no verified peer certificate").isFalse();
        RbacRules anyPeer = allow(anyPermission(), Principal.newBuilder()
                .setAuthenticated(Principal.Authenticated.getDefaultInstance()).build());
        assertThat(anyPeer.allows(connection(80).withPeer(other))).isTrue();
        assertThat(anyPeer.allows(connection(80))).isFalse();
    }

    @Test
    void headersPseudoHeadersAndThePathWithoutItsQuery() throws Exception {
        assertThat(allow(urlPath(exact("/api")), anyPrincipal()).allows(request("GET", "/api?user=1"))).isTrue();
        assertThat(allow(urlPath(exact("/api")), anyPrincipal()).allows(request("GET", "/api/v2"))).isFalse();
        assertThat(allow(header(":path", exact("/api")), anyPrincipal()).allows(request("GET", "/api?user=1")))
                .as(":path keeps its query, as Envoy's").isFalse();
        RbacRules host = allow(header(":authority", StringMatcher.newBuilder().setExact("APP.test").setIgnoreCase(true)
                .build()), anyPrincipal());
        assertThat(host.allows(request("GET", "/"))).isTrue();
        RbacRules token = allow(Permission.newBuilder().setHeader(HeaderMatcher.newBuilder().setName("X-Token")
                .setPrefixMatch("abc")).build(), anyPrincipal());
        assertThat(token.allows(request("GET", "/").withHeader("x-token", "abcdef"))).isTrue();
        assertThat(token.allows(request("GET", "/").withHeader("x-token", "xyz"))).isFalse();
        assertThat(token.allows(request("GET", "/"))).isFalse();
        RbacRules present = allow(Permission.newBuilder().setHeader(HeaderMatcher.newBuilder().setName("x-debug")
                .setPresentMatch(true)).build(), anyPrincipal());
        assertThat(present.allows(request("GET", "/").withHeader("x-debug", ""))).isTrue();
    }

    @Test
    void aConnectionHasNoHeadersNorPath() throws Exception {
        assertThat(allow(urlPath(StringMatcher.newBuilder().setPrefix("/").build()), anyPrincipal())
                .allows(connection(80))).isFalse();
        RbacRules absent = allow(Permission.newBuilder().setHeader(HeaderMatcher.newBuilder().setName("x-debug")
                .setPresentMatch(false)).build(), anyPrincipal());
        assertThat(absent.allows(connection(80))).isFalse();
        assertThat(absent.allows(request("GET", "/"))).isTrue();
    }

    @Test
    void destinationPortAndIpAndRemoteIpRanges() throws Exception {
        assertThat(allow(port(9000), anyPrincipal()).allows(connection(9000))).isTrue();
        assertThat(allow(port(9000), anyPrincipal()).allows(connection(9001))).isFalse();
        RbacRules toSubnet = allow(Permission.newBuilder().setDestinationIp(cidr("10.0.0.8", 30)).build(), anyPrincipal());
        assertThat(toSubnet.allows(connection(1))).isTrue();
        assertThat(toSubnet.allows(connection(1).to("10.0.0.12"))).isFalse();
        for (Principal.Builder from : new Principal.Builder[]{
                Principal.newBuilder().setDirectRemoteIp(cidr("192.168.0.0", 16)),
                Principal.newBuilder().setSourceIp(cidr("192.168.0.0", 16)),
                Principal.newBuilder().setRemoteIp(cidr("192.168.0.0", 16))}) {
            RbacRules rules = allow(anyPermission(), from.build());
            assertThat(rules.allows(connection(1).from("192.168.44.1"))).isTrue();
            assertThat(rules.allows(connection(1).from("192.169.0.1"))).isFalse();
        }
        RbacRules noLength = allow(anyPermission(), Principal.newBuilder().setDirectRemoteIp(
                io.envoyproxy.envoy.config.core.v3.CidrRange.newBuilder().setAddressPrefix("1.2.3.4")).build());
        assertThat(noLength.allows(connection(1))).as("an unset prefix_len is 0, as Envoy's").isTrue();
    }

    @Test
    void unsupportedPermissionsAreRefusedByName() {
        refused(Permission.newBuilder().setRequestedServerName(exact("a.test")), "permission requested_server_name");
        refused(Permission.newBuilder().setMetadata(MetadataMatcher.newBuilder().setFilter("f")), "permission metadata");
        refused(Permission.newBuilder().setDestinationPortRange(Int32Range.newBuilder().setStart(1).setEnd(9)),
                "permission destination_port_range");
        refused(Permission.newBuilder().setUriTemplate(extension()), "permission uri_template");
        refused(Permission.newBuilder().setMatcher(extension()), "permission matcher");
        refused(Permission.newBuilder().setSourcedMetadata(io.envoyproxy.envoy.config.rbac.v3.SourcedMetadata.newBuilder()
                .setMetadataMatcher(MetadataMatcher.newBuilder().setFilter("f"))), "permission sourced_metadata");
        refused(Permission.newBuilder().setNotRule(Permission.newBuilder().setRequestedServerName(exact("a"))),
                "permission requested_server_name");
    }

    @Test
    void unsupportedPrincipalsAreRefusedByName() {
        refused(Principal.newBuilder().setMetadata(MetadataMatcher.newBuilder().setFilter("istio_authn")),
                "principal metadata");
        refused(Principal.newBuilder().setFilterState(io.envoyproxy.envoy.type.matcher.v3.FilterStateMatcher.newBuilder()
                .setKey("k")), "principal filter_state");
        refused(Principal.newBuilder().setCustom(extension()), "principal custom");
        refused(Principal.newBuilder().setOrIds(Principal.Set.newBuilder().addIds(Principal.newBuilder()
                .setMetadata(MetadataMatcher.newBuilder().setFilter("f")))), "principal metadata");
    }

    @Test
    void conditionsAndAuditLoggingAreRefusedTheLogActionTaken() throws Exception {
        assertThat(RbacTranslator.rules("test", RBAC.newBuilder().setAction(RBAC.Action.LOG).build()).action())
                .isEqualTo(RbacRules.Action.LOG);
        Policy withCondition = policy(anyPermission(), anyPrincipal()).toBuilder()
                .setCondition(Expr.newBuilder().setId(1)).build();
        assertThatThrownBy(() -> RbacTranslator.rules("test", RBAC.newBuilder().putPolicies("cel", withCondition).build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("policy cel: condition (CEL) is not supported by Windlass");
        assertThatThrownBy(() -> RbacTranslator.rules("test", RBAC.newBuilder()
                .setAuditLoggingOptions(RBAC.AuditLoggingOptions.getDefaultInstance()).build()))
                .hasMessageContaining("audit_logging_options is not supported by Windlass");
    }

    private static TypedExtensionConfig extension() {
        return TypedExtensionConfig.newBuilder().setName("x").setTypedConfig(Any.pack(StringValue.of("x"))).build();
    }

    private static void refused(Permission.Builder permission, String message) {
        assertThatThrownBy(() -> allow(permission.build(), anyPrincipal())).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(message + " is not supported by Windlass");
    }

    private static void refused(Principal.Builder principal, String message) {
        assertThatThrownBy(() -> allow(anyPermission(), principal.build())).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(message + " is not supported by Windlass");
    }
}
