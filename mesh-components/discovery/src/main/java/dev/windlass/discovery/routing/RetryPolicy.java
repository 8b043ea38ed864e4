package dev.windlass.discovery.routing;

import java.time.Duration;
import java.util.List;

/**
 * Retries of one route, in Envoy's terms: how many, the per-attempt timeout (null: the route's), the conditions
 * ({@code retry_on}, comma-separated) and the status codes that are retried under
 * {@code retriable-status-codes}.
 */
public record RetryPolicy(int attempts, Duration perTryTimeout, String retryOn, List<Integer> statusCodes) {

    public static final RetryPolicy NONE = new RetryPolicy(0, null, "", List.of());

    /**
     * Istio's default for every HTTP route without a retries field: two retries of failures to connect or of
     * refused streams. (Istio before 1.24 also retried 503 responses; 1.24 stopped, and so does Windlass.)
     */
    public static final RetryPolicy ISTIO_DEFAULT = new RetryPolicy(2, null,
            "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes", List.of());

    public RetryPolicy {
        statusCodes = List.copyOf(statusCodes);
    }
}
