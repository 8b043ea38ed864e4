package dev.windlass.proxy.config;

import java.util.List;

/** What a matched route does: forward to clusters, redirect, answer directly, or nothing the proxy supports. */
public sealed interface RouteAction {

    /**
     * Forward to {@code clusters}, with the route's timeout (0: none; counted from the end of the request, as
     * Envoy does), retries, mirrors and rewrites ({@code hostRewrite} null keeps the Host); {@code hashKey} is
     * what a consistent-hash cluster hashes (null: none). {@code grpcTimeoutMaxNanos}: a gRPC request's
     * {@code grpc-timeout} is its timeout, capped at this (0: no cap; -1: the header is not used), Envoy's
     * {@code max_stream_duration.grpc_timeout_header_max}.
     */
    record Forward(WeightedClusters clusters, long timeoutNanos, RetryConfig retry, List<MirrorConfig> mirrors,
                   PathRewrite pathRewrite, String hostRewrite, HashKey hashKey, long grpcTimeoutMaxNanos)
            implements RouteAction {
        public Forward {
            mirrors = List.copyOf(mirrors);
        }

        public static Forward to(String cluster) {
            return new Forward(WeightedClusters.single(cluster), 0, RetryConfig.NONE, List.of(), null, null, null, -1);
        }
    }

    record Redirect(RedirectConfig redirect) implements RouteAction {
    }

    record DirectResponse(int status, String body) implements RouteAction {
    }

    /** An action the proxy cannot carry out: answered with a local error. */
    record Unsupported(String what) implements RouteAction {
    }
}
