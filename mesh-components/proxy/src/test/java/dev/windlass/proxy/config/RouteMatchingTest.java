package dev.windlass.proxy.config;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Route matching as translated from RDS protos: path matchers, header matchers, case and inversion. */
class RouteMatchingTest {

    private static RouteRule rule(RouteMatch match) throws InvalidConfigException {
        RouteConfiguration config = RouteConfiguration.newBuilder().setName("r").addVirtualHosts(VirtualHost.newBuilder()
                .setName("h").addDomains("*").addRoutes(Route.newBuilder().setMatch(match)
                        .setRoute(RouteAction.newBuilder().setCluster("c")))).build();
        return RouteTranslator.translate(config).virtualHosts().getFirst().routes().getFirst();
    }

    private static boolean matches(RouteRule rule, String path, String... headers) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return rule.matches(new RouteRequest("host", path, "GET", h));
    }

    @Test
    void prefixExactAndRegexPaths() throws Exception {
        RouteRule prefix = rule(RouteMatch.newBuilder().setPrefix("/api").build());
        assertThat(matches(prefix, "/api/x")).isTrue();
        assertThat(matches(prefix, "/API/x")).isFalse();
        RouteRule exact = rule(RouteMatch.newBuilder().setPath("/health").build());
        assertThat(matches(exact, "/health?verbose")).isTrue();
        assertThat(matches(exact, "/health/x")).isFalse();
        RouteRule regex = rule(RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex("/v[0-9]+/.*")).build());
        assertThat(matches(regex, "/v2/items")).isTrue();
        assertThat(matches(regex, "/vx/items")).isFalse();
        RouteRule insensitive = rule(RouteMatch.newBuilder().setPrefix("/api").setCaseSensitive(BoolValue.of(false)).build());
        assertThat(matches(insensitive, "/API/x")).isTrue();
    }

    @Test
    void headerMatchers() throws Exception {
        RouteRule rule = rule(RouteMatch.newBuilder().setPrefix("/")
                .addHeaders(HeaderMatcher.newBuilder().setName("end-user")
                        .setStringMatch(StringMatcher.newBuilder().setExact("jason")))
                .addHeaders(HeaderMatcher.newBuilder().setName("x-debug").setPresentMatch(true).setInvertMatch(true))
                .build());
        assertThat(matches(rule, "/", "end-user", "jason")).isTrue();
        assertThat(matches(rule, "/", "end-user", "bob")).isFalse();
        assertThat(matches(rule, "/", "end-user", "jason", "x-debug", "1")).isFalse();
        RouteRule method = rule(RouteMatch.newBuilder().setPrefix("/").addHeaders(HeaderMatcher.newBuilder()
                .setName(":method").setStringMatch(StringMatcher.newBuilder().setExact("GET"))).build());
        assertThat(matches(method, "/")).isTrue();
    }

    @Test
    void anUnparsableRegexIsInvalidConfig() {
        assertThatThrownBy(() -> rule(RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex("/(unclosed")).build()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("invalid regex \"/(unclosed\"");
    }
}
