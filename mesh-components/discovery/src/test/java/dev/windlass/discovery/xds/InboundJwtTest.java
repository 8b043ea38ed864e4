package dev.windlass.discovery.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.Fixtures.IstioObject;
import dev.windlass.discovery.security.JwksSource;
import dev.windlass.discovery.security.ResolvedJwks;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** RequestAuthentications as the JWT filter of a sidecar's HTTP inbound chains, and request principals in RBAC. */
class InboundJwtTest {
    private static final String PRODUCTPAGE = "sidecar~10.244.0.5~productpage-v1-6b746f74dc-x2k4p.bookinfo~bookinfo.svc.cluster.local";
    private static final String DB = "sidecar~10.244.1.1~db-a-0.data~data.svc.cluster.local";
    static final String JWKS = "'{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k1\",\"x\":\"AA\",\"y\":\"AA\"}]}'";

    /** Istio's JWT task: one issuer, keys inline; a request without a token passes, an invalid one does not. */
    @Test
    void oneRuleIsOneProviderThatAllowsAMissingToken() throws Exception {
        Listener inbound = inbound("http", List.of(authentication("jwt-example", "bookinfo",
                "jwtRules: [{issuer: testing@secure.istio.io, audiences: [app], jwks: " + JWKS + ", "
                        + "fromHeaders: [{name: x-jwt, prefix: 'Bearer '}], outputClaimToHeaders: [{header: x-sub, claim: sub}]}]")),
                PRODUCTPAGE);

        FilterChain chain = chain(inbound, "inbound|9080||");
        assertThat(httpFilters(chain)).containsExactly(IstioNames.JWT_AUTHN_FILTER, Envoy.ROUTER);
        JwtAuthentication jwt = jwt(chain);
        assertThat(jwt.getBypassCorsPreflight()).isTrue();
        JwtProvider provider = jwt.getProvidersOrThrow("origins-0");
        assertThat(provider.getIssuer()).isEqualTo("testing@secure.istio.io");
        assertThat(provider.getAudiencesList()).containsExactly("app");
        assertThat(provider.getForward()).as("forwardOriginalToken defaults to false").isFalse();
        assertThat(provider.getPayloadInMetadata()).isEqualTo(IstioNames.JWT_PAYLOAD_METADATA);
        assertThat(provider.getLocalJwks().getInlineString()).contains("\"kid\":\"k1\"");
        assertThat(provider.getFromHeaders(0).getName()).isEqualTo("x-jwt");
        assertThat(provider.getFromHeaders(0).getValuePrefix()).isEqualTo("Bearer ");
        assertThat(provider.getClaimToHeaders(0).getHeaderName()).isEqualTo("x-sub");
        JwtRequirement requires = jwt.getRules(0).getRequires();
        assertThat(requires.getRequiresAny().getRequirementsList()).extracting(JwtRequirement::getRequiresTypeCase)
                .containsExactly(JwtRequirement.RequiresTypeCase.PROVIDER_NAME, JwtRequirement.RequiresTypeCase.ALLOW_MISSING);
        assertThat(chain(inbound, "inbound|9080||_mtls").getName()).isNotEmpty();
        assertThat(httpFilters(chain(inbound, "inbound|9080||_mtls"))).startsWith(IstioNames.JWT_AUTHN_FILTER);
    }

    /** Istio's shape for several issuers: any(P0, P1, all(any(P0, missing), any(P1, missing))), sorted by issuer. */
    @Test
    void rulesOfSeveralPoliciesAreProvidersSortedByIssuer() throws Exception {
        Listener inbound = inbound("http", List.of(
                authentication("b", "bookinfo", "jwtRules: [{issuer: zeta, jwks: " + JWKS + "}]"),
                authentication("mesh", "windlass-system", "jwtRules: [{issuer: alpha, jwks: " + JWKS + "}]")), PRODUCTPAGE);

        JwtAuthentication jwt = jwt(chain(inbound, "inbound|9080||"));
        assertThat(jwt.getProvidersOrThrow("origins-0").getIssuer()).isEqualTo("alpha");
        assertThat(jwt.getProvidersOrThrow("origins-1").getIssuer()).isEqualTo("zeta");
        List<JwtRequirement> any = jwt.getRules(0).getRequires().getRequiresAny().getRequirementsList();
        assertThat(any).hasSize(3);
        assertThat(any.get(2).getRequiresAll().getRequirementsList()).hasSize(2);
    }

    /**
     * Keys by jwksUri or by the issuer's OpenID configuration are those the discovery server fetched (the translation
     * only reads them); inline jwks wins over jwksUri, as in Istio.
     */
    @Test
    void fetchedKeysAreInlinedForJwksUriAndIssuerRules() throws Exception {
        String fetched = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"fetched\",\"x\":\"AA\",\"y\":\"AA\"}]}";
        String discovered = fetched.replace("fetched", "discovered");
        ResolvedJwks jwks = new ResolvedJwks(Map.of(
                new JwksSource("https://keys.example.com/jwks.json", false), fetched,
                new JwksSource("https://accounts.example.com/.well-known/openid-configuration", true), discovered));
        JwtAuthentication jwt = jwt(chain(inbound("http", List.of(authentication("jwt", "bookinfo", "jwtRules: ["
                + "{issuer: a-uri, jwksUri: 'https://keys.example.com/jwks.json'}, "
                + "{issuer: 'https://accounts.example.com/'}, "
                + "{issuer: c-both, jwksUri: 'https://keys.example.com/jwks.json', jwks: " + JWKS + "}]")), PRODUCTPAGE, jwks),
                "inbound|9080||"));

        assertThat(jwt.getProvidersOrThrow("origins-0").getLocalJwks().getInlineString()).isEqualTo(fetched);
        assertThat(jwt.getProvidersOrThrow("origins-1").getIssuer()).isEqualTo("c-both");
        assertThat(jwt.getProvidersOrThrow("origins-1").getLocalJwks().getInlineString()).contains("\"kid\":\"k1\"");
        assertThat(jwt.getProvidersOrThrow("origins-2").getIssuer()).isEqualTo("https://accounts.example.com/");
        assertThat(jwt.getProvidersOrThrow("origins-2").getLocalJwks().getInlineString()).isEqualTo(discovered);
    }

    /** A source whose keys are not fetched (yet, or failing): keys no token verifies with, as istiod's fake JWKS. */
    @Test
    void aRuleWithoutFetchedKeysFailsClosed() throws Exception {
        JwtAuthentication jwt = jwt(chain(inbound("http", List.of(authentication("jwt", "bookinfo",
                "jwtRules: [{issuer: a, jwksUri: 'https://keys.example.com/jwks.json'}]")), PRODUCTPAGE, ResolvedJwks.NONE),
                "inbound|9080||"));
        JwtProvider provider = jwt.getProvidersOrThrow("origins-0");
        assertThat(provider.getLocalJwks().getInlineString()).isEqualTo(ResolvedJwks.REFUSE_ALL);
        assertThat(provider.hasRemoteJwks()).as("the proxy never fetches keys itself").isFalse();
        assertThat(jwt.getRules(0).getRequires().getRequiresAny().getRequirementsList())
                .extracting(JwtRequirement::getRequiresTypeCase).as("a request without a token still passes")
                .containsExactly(JwtRequirement.RequiresTypeCase.PROVIDER_NAME, JwtRequirement.RequiresTypeCase.ALLOW_MISSING);
    }

    @Test
    void aPolicyForOtherWorkloadsOrTcpAddsNoFilter() throws Exception {
        Listener inbound = inbound("http", List.of(authentication("other", "bookinfo",
                "selector: {matchLabels: {app: reviews}}, jwtRules: [{issuer: a, jwks: " + JWKS + "}]")), PRODUCTPAGE);
        assertThat(httpFilters(chain(inbound, "inbound|9080||"))).containsExactly(Envoy.ROUTER);

        Listener tcp = inbound("tcp", List.of(authentication("db", "data", "jwtRules: [{issuer: a, jwks: " + JWKS + "}]")), DB);
        assertThat(tcp.getFilterChainsList()).allSatisfy(c -> assertThat(c.getFiltersCount()).as(c.getName()).isEqualTo(1));
    }

    /** Istio's JWT task's "require a token": requestPrincipals ["*"] matches any iss and sub of the verified payload. */
    @Test
    void requestPrincipalsMatchTheIssuerAndSubjectOfThePayload() throws Exception {
        Listener inbound = inbound("http", List.of(
                authentication("jwt", "bookinfo", "jwtRules: [{issuer: a, jwks: " + JWKS + "}]"),
                policy("require-jwt", "rules: [{from: [{source: {requestPrincipals: ['*', 'https://issuer.example.com/alice']}}], "
                        + "when: [{key: 'request.auth.claims[groups]', values: [admins]}]}]")), PRODUCTPAGE);

        FilterChain chain = chain(inbound, "inbound|9080||");
        assertThat(httpFilters(chain)).containsExactly(IstioNames.JWT_AUTHN_FILTER, InboundRbac.HTTP_FILTER, Envoy.ROUTER);
        RBAC rbac = hcm(chain).getHttpFilters(1).getTypedConfig()
                .unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class).getRules();
        Principal and = rbac.getPoliciesOrThrow("ns[bookinfo]-policy[require-jwt]-rule[0]").getPrincipals(0);
        List<Principal> principals = and.getAndIds().getIds(0).getOrIds().getIdsList();
        MetadataMatcher anyIss = principals.get(0).getAndIds().getIds(0).getMetadata();
        assertThat(anyIss.getFilter()).isEqualTo(IstioNames.JWT_AUTHN_FILTER);
        assertThat(anyIss.getPathList()).extracting(MetadataMatcher.PathSegment::getKey).containsExactly("payload", "iss");
        assertThat(anyIss.getValue().getStringMatch().getSafeRegex().getRegex()).isEqualTo(".+");
        MetadataMatcher iss = principals.get(1).getAndIds().getIds(0).getMetadata();
        MetadataMatcher sub = principals.get(1).getAndIds().getIds(1).getMetadata();
        assertThat(iss.getValue().getStringMatch().getExact()).isEqualTo("https://issuer.example.com");
        assertThat(sub.getValue().getStringMatch().getExact()).isEqualTo("alice");
        MetadataMatcher groups = and.getAndIds().getIds(1).getMetadata();
        assertThat(groups.getPathList()).extracting(MetadataMatcher.PathSegment::getKey).containsExactly("payload", "groups");
    }

    private static IstioObject authentication(String name, String namespace, String spec) {
        return new IstioObject("security.istio.io/v1", "RequestAuthentication",
                "{metadata: {name: " + name + ", namespace: " + namespace + "}, spec: {" + spec + "}}");
    }

    private static IstioObject policy(String name, String spec) {
        return new IstioObject("security.istio.io/v1", "AuthorizationPolicy",
                "{metadata: {name: " + name + ", namespace: bookinfo}, spec: {" + spec + "}}");
    }

    private static Listener inbound(String fixture, List<IstioObject> objects, String node) {
        return inbound(fixture, objects, node, ResolvedJwks.NONE);
    }

    private static Listener inbound(String fixture, List<IstioObject> objects, String node, ResolvedJwks jwks) {
        return Translator.translate(Fixtures.snapshotWith(fixture, objects).withJwks(jwks), ProxyNode.parse(node)).listeners()
                .get(IstioNames.VIRTUAL_INBOUND);
    }

    private static FilterChain chain(Listener listener, String name) {
        return listener.getFilterChainsList().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> httpFilters(FilterChain chain) throws InvalidProtocolBufferException {
        return hcm(chain).getHttpFiltersList().stream().map(f -> f.getName()).toList();
    }

    private static JwtAuthentication jwt(FilterChain chain) throws InvalidProtocolBufferException {
        return hcm(chain).getHttpFilters(0).getTypedConfig().unpack(JwtAuthentication.class);
    }

    private static HttpConnectionManager hcm(FilterChain chain) throws InvalidProtocolBufferException {
        return chain.getFilters(chain.getFiltersCount() - 1).getTypedConfig().unpack(HttpConnectionManager.class);
    }
}
