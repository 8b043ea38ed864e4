package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.cli.WindlassCliTest.Result;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.windlass.cli.WindlassCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code windlass x describe pod}: for a Bookinfo reviews-v1 pod with the routing task's VirtualService and
 * DestinationRule applied, the Service, the matching subset, the route and the security policies that select it;
 * objects that do not apply (other namespaces, gateway-only routes, other workloads) are left out.
 */
class DescribeCommandTest {
    private static JsonNode json(String text) {
        try {
            return ProxyConfigDump.JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final JsonNode POD = json("""
            {'kind': 'Pod', 'metadata': {'name': 'reviews-v1-abc', 'namespace': 'bookinfo',
              'labels': {'app': 'reviews', 'version': 'v1'}},
             'spec': {'containers': [{'name': 'reviews', 'ports': [{'containerPort': 9080}]}, {'name': 'windlass-proxy'}]}}""");

    private static final List<JsonNode> OBJECTS = List.of(
            json("{'kind': 'Service', 'metadata': {'name': 'reviews', 'namespace': 'bookinfo'}, 'spec': {'selector': {'app': 'reviews'},"
                    + " 'ports': [{'name': 'http', 'port': 9080, 'protocol': 'TCP'}]}}"),
            json("{'kind': 'Service', 'metadata': {'name': 'reviews', 'namespace': 'other'}, 'spec': {'selector': {'app': 'reviews'}}}"),
            json("{'kind': 'Service', 'metadata': {'name': 'headless', 'namespace': 'bookinfo'}, 'spec': {}}"),
            json("{'kind': 'DestinationRule', 'metadata': {'name': 'reviews', 'namespace': 'bookinfo'}, 'spec': {'host': 'reviews',"
                    + " 'trafficPolicy': {'loadBalancer': {'simple': 'RANDOM'}, 'tls': {'mode': 'ISTIO_MUTUAL'}},"
                    + " 'subsets': [{'name': 'v1', 'labels': {'version': 'v1'}}, {'name': 'v2', 'labels': {'version': 'v2'}},"
                    + " {'name': 'v3', 'labels': {'version': 'v3'}}]}}"),
            json("{'kind': 'DestinationRule', 'metadata': {'name': 'ratings', 'namespace': 'bookinfo'}, 'spec': {'host': 'ratings'}}"),
            json("{'kind': 'VirtualService', 'metadata': {'name': 'reviews', 'namespace': 'bookinfo'}, 'spec': {'hosts': ['reviews'],"
                    + " 'http': [{'match': [{'headers': {'end-user': {'exact': 'jason'}}}], 'route': [{'destination': {'host': 'reviews', 'subset': 'v2'}}]},"
                    + " {'route': [{'destination': {'host': 'reviews.bookinfo.svc.cluster.local', 'subset': 'v1'}, 'weight': 100}]}]}}"),
            json("{'kind': 'VirtualService', 'metadata': {'name': 'edge', 'namespace': 'bookinfo'}, 'spec': {'gateways': ['bookinfo-gateway'],"
                    + " 'http': [{'route': [{'destination': {'host': 'reviews'}}]}]}}"),
            json("{'kind': 'PeerAuthentication', 'metadata': {'name': 'default', 'namespace': 'windlass-system'}, 'spec': {'mtls': {'mode': 'STRICT'}}}"),
            json("{'kind': 'AuthorizationPolicy', 'metadata': {'name': 'reviews-viewer', 'namespace': 'bookinfo'},"
                    + " 'spec': {'selector': {'matchLabels': {'app': 'reviews'}}, 'action': 'ALLOW', 'rules': [{}]}}"),
            json("{'kind': 'AuthorizationPolicy', 'metadata': {'name': 'ratings-viewer', 'namespace': 'bookinfo'},"
                    + " 'spec': {'selector': {'matchLabels': {'app': 'ratings'}}}}"),
            json("{'kind': 'RequestAuthentication', 'metadata': {'name': 'jwt', 'namespace': 'bookinfo'},"
                    + " 'spec': {'jwtRules': [{'issuer': 'testing@secure.istio.io'}, {'issuer': 'https://accounts.example.com'}]}}"),
            json("{'kind': 'RequestAuthentication', 'metadata': {'name': 'ratings-jwt', 'namespace': 'bookinfo'},"
                    + " 'spec': {'selector': {'matchLabels': {'app': 'ratings'}}, 'jwtRules': [{'issuer': 'x'}]}}"));

    @Test
    void describesWhatAppliesToAReviewsPod() {
        assertThat(PodDescription.describe(POD, OBJECTS, "windlass-system")).isEqualTo("""
                Pod: reviews-v1-abc
                   Pod Ports: 9080 (reviews)
                --------------------
                Service: reviews
                   Port: http 9080/TCP targets pod port 9080
                DestinationRule: reviews for "reviews"
                   Matching subsets: v1
                      (Non-matching subsets v2,v3)
                   Traffic Policy: loadBalancer RANDOM, tls ISTIO_MUTUAL
                VirtualService: reviews
                   2 HTTP route(s)
                   Route to subset v2 of host reviews when headers {"end-user":{"exact":"jason"}}
                   Route to subset v1 of host reviews.bookinfo.svc.cluster.local weight 100% for (everything)
                --------------------
                PeerAuthentication: windlass-system/default (mode STRICT)
                AuthorizationPolicy: bookinfo/reviews-viewer (ALLOW, 1 rule(s))
                RequestAuthentication: bookinfo/jwt (issuers testing@secure.istio.io, https://accounts.example.com)
                """);
    }

    @Test
    void aPodNoServiceSelectsGetsASuggestion() {
        JsonNode lonely = json("{'metadata': {'name': 'job-1', 'namespace': 'bookinfo', 'labels': {'app': 'job'}}, 'spec': {'containers': []}}");

        assertThat(PodDescription.describe(lonely, OBJECTS.subList(0, 7), "windlass-system")).isEqualTo("""
                Pod: job-1
                   Pod Ports:\s
                Suggestion: add a Service whose selector matches this pod's labels
                """);
    }

    @Test
    void hostsResolveAsIstioResolvesThem() {
        assertThat(PodDescription.Hosts.matches("reviews", "bookinfo", "reviews", "bookinfo")).isTrue();
        assertThat(PodDescription.Hosts.matches("reviews", "default", "reviews", "bookinfo")).isFalse();
        assertThat(PodDescription.Hosts.matches("reviews.bookinfo", "default", "reviews", "bookinfo")).isTrue();
        assertThat(PodDescription.Hosts.matches("*.bookinfo.svc.cluster.local", "x", "reviews", "bookinfo")).isTrue();
        assertThat(PodDescription.Hosts.matches("*.shop.svc.cluster.local", "x", "reviews", "bookinfo")).isFalse();
    }

    @Test
    void badInputIsNamedWithExitCode2() {
        Result kind = run("x", "describe", "service", "reviews", "--kubeconfig=/nonexistent");
        assertThat(kind.code()).isEqualTo(2);
        assertThat(kind.err()).isEqualTo("windlass: KIND: 'service' is not pod (the only kind described)\n");
        assertThat(run("x", "describe", "pod").err()).isEqualTo("windlass: POD: a pod name is required\n");
        assertThat(run("x", "describe", "pod", "reviews-v1", "-n", "Bad", "--kubeconfig=/nonexistent").err())
                .isEqualTo("windlass: --namespace: 'Bad' is not a namespace name\n");
        assertThat(run("x", "describe", "pod", "reviews-v1", "-i", "Bad", "--kubeconfig=/nonexistent").err())
                .isEqualTo("windlass: --mesh-namespace: 'Bad' is not a namespace name\n");
        assertThat(run("x", "describe", "pod", "reviews-v1.bookinfo", "--kubeconfig=/nonexistent").err())
                .isEqualTo("windlass: --kubeconfig: /nonexistent: no such file\n");
        assertThat(run("x").err()).isEqualTo("windlass: a command is required: x describe pod POD\n");
    }
}
