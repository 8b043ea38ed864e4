package dev.windlass.proxy.telemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestMetricsTest {
    private static final RequestLabels LABELS = new RequestLabels("source", "productpage-v1", "shop", "reviews-v1",
            "shop", "reviews.shop.svc.cluster.local", 200);

    @Test
    void writesACounterAndACumulativeHistogram() {
        RequestMetrics metrics = new RequestMetrics(false);
        metrics.record(LABELS, 3.0);
        metrics.record(LABELS, 30.0);
        StringBuilder out = new StringBuilder();
        metrics.writePrometheus(out);
        String labels = "reporter=\"source\",source_workload=\"productpage-v1\",source_workload_namespace=\"shop\","
                + "destination_workload=\"reviews-v1\",destination_workload_namespace=\"shop\","
                + "destination_service=\"reviews.shop.svc.cluster.local\",response_code=\"200\","
                + "source_principal=\"unknown\",connection_security_policy=\"unknown\"";
        assertThat(out.toString()).contains("# TYPE windlass_requests_total counter\n",
                "windlass_requests_total{" + labels + "} 2\n",
                "# TYPE windlass_request_duration_milliseconds histogram\n",
                "windlass_request_duration_milliseconds_bucket{" + labels + ",le=\"1\"} 0\n",
                "windlass_request_duration_milliseconds_bucket{" + labels + ",le=\"5\"} 1\n",
                "windlass_request_duration_milliseconds_bucket{" + labels + ",le=\"50\"} 2\n",
                "windlass_request_duration_milliseconds_bucket{" + labels + ",le=\"+Inf\"} 2\n",
                "windlass_request_duration_milliseconds_sum{" + labels + "} 33\n",
                "windlass_request_duration_milliseconds_count{" + labels + "} 2\n");
    }

    @Test
    void istioNamesAreAnOption() {
        RequestMetrics metrics = new RequestMetrics(true);
        metrics.record(LABELS, 1);
        StringBuilder out = new StringBuilder();
        metrics.writePrometheus(out);
        assertThat(out.toString()).contains("istio_requests_total{", "istio_request_duration_milliseconds_bucket{")
                .doesNotContain("windlass_");
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(RequestMetrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
        assertThat(RequestMetrics.escape(null)).isEqualTo("unknown");
    }

    @Test
    void labelsBuiltApartShareASeriesAndAnyDifferentLabelMakesAnother() {
        RequestMetrics metrics = new RequestMetrics(false);
        metrics.record(new RequestLabels("source", "productpage-v1", "shop", "reviews-v1", "shop",
                new String("reviews.shop.svc.cluster.local"), 200), 1.0);
        metrics.record(LABELS, 1.0);
        RequestLabels[] others = {
            new RequestLabels("destination", "productpage-v1", "shop", "reviews-v1", "shop", LABELS.destinationService(), 200),
            new RequestLabels("source", "details-v1", "shop", "reviews-v1", "shop", LABELS.destinationService(), 200),
            new RequestLabels("source", "productpage-v1", "web", "reviews-v1", "shop", LABELS.destinationService(), 200),
            new RequestLabels("source", "productpage-v1", "shop", "reviews-v2", "shop", LABELS.destinationService(), 200),
            new RequestLabels("source", "productpage-v1", "shop", "reviews-v1", "web", LABELS.destinationService(), 200),
            new RequestLabels("source", "productpage-v1", "shop", "reviews-v1", "shop", "ratings", 200),
            new RequestLabels("source", "productpage-v1", "shop", "reviews-v1", "shop", LABELS.destinationService(), 503),
            new RequestLabels("source", "productpage-v1", "shop", "reviews-v1", null, LABELS.destinationService(), 200)};
        for (RequestLabels other : others) {
            metrics.record(other, 1.0);
        }
        assertThat(metrics.count(LABELS)).isEqualTo(2);
        for (RequestLabels other : others) {
            assertThat(metrics.count(other)).as(other.toString()).isEqualTo(1);
        }
    }
}
