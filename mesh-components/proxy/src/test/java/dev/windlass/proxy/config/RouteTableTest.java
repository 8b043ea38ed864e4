package dev.windlass.proxy.config;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteTableTest {
    private static VirtualHostConfig host(String name, String... domains) {
        return new VirtualHostConfig(name, List.of(domains), List.of());
    }

    private static RouteTable table() throws InvalidConfigException {
        return new RouteTable("80", List.of(host("exact", "reviews.default.svc.cluster.local", "reviews:80"),
                host("suffix", "*.default.svc.cluster.local"), host("longer-suffix", "*.svc.cluster.local"),
                host("prefix", "ratings.*"), host("all", "*")));
    }

    @Test
    void exactDomainsWinOverWildcards() throws Exception {
        assertThat(table().virtualHost("reviews.default.svc.cluster.local").name()).isEqualTo("exact");
        assertThat(table().virtualHost("REVIEWS:80").name()).isEqualTo("exact");
    }

    @Test
    void theLongestSuffixWildcardWinsThenPrefixWildcardsThenStar() throws Exception {
        assertThat(table().virtualHost("details.default.svc.cluster.local").name()).isEqualTo("suffix");
        assertThat(table().virtualHost("details.other.svc.cluster.local").name()).isEqualTo("longer-suffix");
        assertThat(table().virtualHost("ratings.example").name()).isEqualTo("prefix");
        assertThat(table().virtualHost("example.com").name()).isEqualTo("all");
    }

    @Test
    void aHostWithAPortFallsBackToTheHostWithoutIt() throws Exception {
        RouteTable table = new RouteTable("80", List.of(host("reviews", "reviews")));
        assertThat(table.virtualHost("reviews:9080").name()).isEqualTo("reviews");
        assertThat(table.virtualHost("other:9080")).isNull();
    }

    @Test
    void aWildcardMustMatchAtLeastOneCharacter() throws Exception {
        RouteTable table = new RouteTable("80", List.of(host("suffix", "*.example.com")));
        assertThat(table.virtualHost(".example.com")).isNull();
        assertThat(table.virtualHost("a.example.com").name()).isEqualTo("suffix");
    }

    @Test
    void aDomainInTwoVirtualHostsIsRefused() {
        assertThatThrownBy(() -> new RouteTable("80", List.of(host("a", "x.com"), host("b", "X.com"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("\"x.com\"");
    }

    @Test
    void routesAreTriedInOrderWithinTheVirtualHost() throws Exception {
        RouteRule api = new RouteRule("api", new PathMatch(PathMatch.Kind.PREFIX, "/api", null, true), List.of(),
                RouteAction.Forward.to("api"));
        RouteRule rest = new RouteRule("rest", new PathMatch(PathMatch.Kind.PREFIX, "/", null, true), List.of(),
                RouteAction.Forward.to("web"));
        RouteTable table = new RouteTable("80", List.of(new VirtualHostConfig("h", List.of("*"), List.of(api, rest))));
        assertThat(table.route(request("/api/v1?x=1")).name()).isEqualTo("api");
        assertThat(table.route(request("/index.html")).name()).isEqualTo("rest");
    }

    private static RouteRequest request(String path) {
        return new RouteRequest("any", path, "GET", new DefaultHttpHeaders());
    }
}
