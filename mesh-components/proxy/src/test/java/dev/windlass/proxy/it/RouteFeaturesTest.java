package dev.windlass.proxy.it;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestUpstream;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP route features a VirtualService turns into, with Envoy's observable behaviour, through a real proxy on
 * loopback to real upstream servers: weights, matches, faults, timeouts, retries, redirects, rewrites, header
 * edits, mirrors and CORS.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouteFeaturesTest {
    private static final String V1 = "outbound|80|v1|app.test.svc.cluster.local";
    private static final String V2 = "outbound|80|v2|app.test.svc.cluster.local";

    private TestUpstream one;
    private TestUpstream two;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        one = new TestUpstream("one");
        two = new TestUpstream("two");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        one.close();
        two.close();
    }

    private void serve(Route... routes) throws Exception {
        gateway.serve(List.of(routes), Map.of(V1, List.of(one.address()), V2, List.of(two.address())));
    }

    private static Route.Builder route(String prefix) {
        return Route.newBuilder().setName(prefix).setMatch(RouteMatch.newBuilder().setPrefix(prefix));
    }

    private static RouteAction.Builder to(String cluster) {
        return RouteAction.newBuilder().setCluster(cluster).setTimeout(Duration.getDefaultInstance());
    }

    @Test
    void weightedClustersSplitTheTrafficByWeight() throws Exception {
        serve(route("/").setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                .addClusters(weight(V1, 80)).addClusters(weight(V2, 20)))).build());
        int toOne = 0;
        for (int i = 0; i < 400; i++) {
            toOne += gateway.get("/").body().equals("one") ? 1 : 0;
        }
        assertThat(toOne / 400.0).isBetween(0.74, 0.86);
    }

    private static WeightedCluster.ClusterWeight weight(String cluster, int weight) {
        return WeightedCluster.ClusterWeight.newBuilder().setName(cluster).setWeight(UInt32Value.of(weight)).build();
    }

    @Test
    void headerQueryAndRegexMatchesPickTheRoute() throws Exception {
        serve(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/")
                        .addHeaders(HeaderMatcher.newBuilder().setName("end-user").setStringMatch(StringMatcher.newBuilder().setExact("jason")))
                        .addHeaders(HeaderMatcher.newBuilder().setName("x-debug").setPresentMatch(true).setInvertMatch(true)))
                        .setRoute(to(V2)).build(),
                Route.newBuilder().setMatch(RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex("/items/[0-9]+"))
                        .addQueryParameters(QueryParameterMatcher.newBuilder().setName("mode")
                                .setStringMatch(StringMatcher.newBuilder().setExact("fast mode")))).setRoute(to(V2)).build(),
                route("/").setRoute(to(V1)).build());
        assertThat(gateway.get("/", "end-user: jason").body()).isEqualTo("two");
        assertThat(gateway.get("/", "end-user: jason", "x-debug: 1").body()).isEqualTo("one");
        assertThat(gateway.get("/", "end-user: mary").body()).isEqualTo("one");
        assertThat(gateway.get("/items/42?mode=fast%20mode").body()).isEqualTo("two");
        assertThat(gateway.get("/items/42?mode=slow").body()).isEqualTo("one");
        assertThat(gateway.get("/items/4x?mode=fast+mode").body()).isEqualTo("one");
    }

    @Test
    void aFaultAbortAnswersWithEnvoysBodyAndTheUpstreamSeesNothing() throws Exception {
        HTTPFault fault = HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(500)
                .setPercentage(FractionalPercent.newBuilder().setNumerator(100))).build();
        serve(route("/").setRoute(to(V1)).putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault)).build());
        RawHttp.Response response = gateway.get("/ratings");
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("fault filter abort");
        assertThat(one.seen()).isEmpty();
        assertThat(gateway.stats()).contains("windlass.fault_aborts_injected: 1");
        assertThat(gateway.proxy.admin("/config_dump")).contains("\"http_status\": 500");
    }

    @Test
    void aFaultDelayHoldsTheRequestThenItGoesOn() throws Exception {
        HTTPFault fault = HTTPFault.newBuilder().setDelay(FaultDelay.newBuilder()
                .setFixedDelay(Duration.newBuilder().setNanos(400_000_000))
                .setPercentage(FractionalPercent.newBuilder().setNumerator(100))).build();
        serve(route("/").setRoute(to(V1)).putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault)).build());
        long start = System.nanoTime();
        RawHttp.Response response = gateway.get("/");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.status()).isEqualTo(200);
        assertThat(millis).isGreaterThanOrEqualTo(400);
        assertThat(gateway.stats()).contains("windlass.fault_delays_injected: 1");
    }

    @Test
    void aRouteTimeoutAnswers504UpstreamRequestTimeout() throws Exception {
        serve(route("/").setRoute(to(V1).setTimeout(Duration.newBuilder().setNanos(300_000_000))).build());
        long start = System.nanoTime();
        RawHttp.Response response = gateway.get("/sleep/2000");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.status()).isEqualTo(504);
        assertThat(response.body()).isEqualTo("upstream request timeout");
        assertThat(millis).isBetween(280L, 1500L);
        assertThat(gateway.stats()).contains("cluster." + V1 + ".upstream_rq_timeout: 1");
    }

    @Test
    void a5xxIsRetriedOnAnotherHostAndTheRetryIsCounted() throws Exception {
        {
            gateway.serve(List.of(route("/").setRoute(to(V1).setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx")
                            .setNumRetries(UInt32Value.of(2))
                            .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                                    .setName("envoy.retry_host_predicates.previous_hosts"))
                            .setHostSelectionRetryMaxAttempts(5))).build()),
                    Map.of(V1, List.of(one.address()), V2, List.of(two.address())));
            RawHttp.Response response = gateway.get("/status/503");
            assertThat(response.status()).isEqualTo(503);
            assertThat(one.seen()).hasSize(3);
            assertThat(one.seen().get(2).headers()).containsEntry("x-envoy-attempt-count", "3");
            assertThat(gateway.stats()).contains("windlass.upstream_rq_retry: 2")
                    .contains("cluster." + V1 + ".upstream_rq_retry: 2");
        }
    }

    @Test
    void aConnectFailureIsRetriedToAWorkingEndpoint() throws Exception {
        int dead = RoutedGateway.freePort();
        gateway.serve(List.of(route("/").setRoute(to(V1).setRetryPolicy(RetryPolicy.newBuilder()
                        .setRetryOn("connect-failure").setNumRetries(UInt32Value.of(2))
                        .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                                .setName("envoy.retry_host_predicates.previous_hosts"))
                        .setHostSelectionRetryMaxAttempts(5))).build()),
                Map.of(V1, List.of("127.0.0.1:" + dead, one.address())));
        for (int i = 0; i < 6; i++) {
            assertThat(gateway.get("/").status()).isEqualTo(200);
        }
        assertThat(gateway.stats()).containsPattern("windlass.upstream_rq_retry: [1-6]\\n");
    }

    @Test
    void aPerTryTimeoutIsRetriedUnder5xx() throws Exception {
        serve(route("/").setRoute(to(V1).setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx")
                .setNumRetries(UInt32Value.of(1)).setPerTryTimeout(Duration.newBuilder().setNanos(200_000_000)))).build());
        long start = System.nanoTime();
        RawHttp.Response response = gateway.get("/sleep/1000");
        assertThat(response.status()).isEqualTo(504);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(380L, 1500L);
        assertThat(one.seen()).hasSize(2);
        assertThat(gateway.stats()).contains("cluster." + V1 + ".upstream_rq_per_try_timeout: 2");
    }

    @Test
    void redirectsAndDirectResponsesAreAnsweredByTheProxy() throws Exception {
        serve(route("/old").setRedirect(RedirectAction.newBuilder().setPathRedirect("/new").setHostRedirect("example.org")
                        .setSchemeRedirect("https").setResponseCode(RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT)).build(),
                route("/teapot").setDirectResponse(DirectResponseAction.newBuilder().setStatus(418)
                        .setBody(DataSource.newBuilder().setInlineString("I'm a teapot"))).build());
        RawHttp.Response redirect = gateway.get("/old?x=1");
        assertThat(redirect.status()).isEqualTo(308);
        assertThat(redirect.header("location")).isEqualTo("https://example.org/new?x=1");
        RawHttp.Response teapot = gateway.get("/teapot");
        assertThat(teapot.status()).isEqualTo(418);
        assertThat(teapot.body()).isEqualTo("I'm a teapot");
        assertThat(one.seen()).isEmpty();
    }

    @Test
    void rewritesAndHeaderEditsReachTheUpstream() throws Exception {
        serve(route("/api/v1/").setRoute(to(V1).setPrefixRewrite("/v1/").setHostRewriteLiteral("backend.internal"))
                        .addRequestHeadersToAdd(header("x-route", "api", false))
                        .addRequestHeadersToAdd(header("x-trace", "on", true))
                        .addRequestHeadersToRemove("x-legacy")
                        .addResponseHeadersToAdd(header("x-served", "mesh", false))
                        .addResponseHeadersToRemove("x-upstream").build(),
                Route.newBuilder().setMatch(RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex("/users/[0-9]+/profile")))
                        .setRoute(to(V1).setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
                                .setPattern(RegexMatcher.newBuilder().setRegex("^/users/([0-9]+)/profile$"))
                                .setSubstitution("/profile/\\1"))).build());
        RawHttp.Response response = gateway.get("/api/v1/items?q=1", "x-legacy: yes", "x-trace: client");
        assertThat(response.header("x-served")).isEqualTo("mesh");
        assertThat(response.header("x-upstream")).isNull();
        TestUpstream.Seen seen = one.seen().getFirst();
        assertThat(seen.path()).isEqualTo("/v1/items?q=1");
        assertThat(seen.headers()).containsEntry("host", "backend.internal").containsEntry("x-route", "api")
                .containsEntry("x-trace", "client,on").doesNotContainKey("x-legacy");
        gateway.get("/users/42/profile?full=1");
        assertThat(one.seen().get(1).path()).isEqualTo("/profile/42?full=1");
    }

    private static HeaderValueOption header(String name, String value, boolean append) {
        return HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
                .setAppendAction(append ? HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
                        : HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD).build();
    }

    @Test
    void aMirroredRequestGoesToTheShadowWithShadowHostAndItsAnswerIsDropped() throws Exception {
        serve(route("/").setRoute(to(V1).addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder()
                .setCluster(V2).setRuntimeFraction(RuntimeFractionalPercent.newBuilder()
                        .setDefaultValue(FractionalPercent.newBuilder().setNumerator(100))))).build());
        for (int i = 0; i < 5; i++) {
            assertThat(gateway.send("POST /echo HTTP/1.1\r\nHost: app.test:80\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello").body())
                    .isEqualTo("hello");
        }
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> two.seen().size() == 5);
        assertThat(two.seen()).allSatisfy(seen -> {
            assertThat(seen.headers()).containsEntry("host", "app.test-shadow:80");
            assertThat(seen.body()).isEqualTo("hello");
        });
        assertThat(one.seen()).hasSize(5);
    }

    @Test
    void corsPreflightsAreAnsweredAndActualResponsesCarryTheAllowHeaders() throws Exception {
        CorsPolicy cors = CorsPolicy.newBuilder()
                .addAllowOriginStringMatch(StringMatcher.newBuilder().setExact("https://example.com"))
                .setAllowMethods("GET,POST").setAllowHeaders("x-custom").setExposeHeaders("x-upstream")
                .setMaxAge("86400").setAllowCredentials(BoolValue.of(true)).build();
        serve(route("/").setRoute(to(V1)).putTypedPerFilterConfig("envoy.filters.http.cors", Any.pack(cors)).build());
        RawHttp.Response preflight = gateway.send("OPTIONS /x HTTP/1.1\r\nHost: app.test\r\nOrigin: https://example.com\r\n"
                + "Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("access-control-allow-origin")).isEqualTo("https://example.com");
        assertThat(preflight.header("access-control-allow-methods")).isEqualTo("GET,POST");
        assertThat(preflight.header("access-control-max-age")).isEqualTo("86400");
        assertThat(one.seen()).isEmpty();

        RawHttp.Response actual = gateway.get("/x", "Origin: https://example.com");
        assertThat(actual.header("access-control-allow-origin")).isEqualTo("https://example.com");
        assertThat(actual.header("access-control-expose-headers")).isEqualTo("x-upstream");
        assertThat(gateway.get("/x", "Origin: https://evil.example").header("access-control-allow-origin")).isNull();
        RawHttp.Response otherPreflight = gateway.send("OPTIONS /x HTTP/1.1\r\nHost: app.test\r\nOrigin: https://evil.example\r\n"
                + "Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");
        assertThat(otherPreflight.body()).as("forwarded to the app").isEqualTo("one");
    }
}
