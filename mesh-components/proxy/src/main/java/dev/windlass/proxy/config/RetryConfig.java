package dev.windlass.proxy.config;

import java.util.Set;

/**
 * A route's retry policy, compiled: Envoy's retry_on conditions as flags, the retriable status codes, the number
 * of retries and the per-try timeout (0: none). Decisions are made by {@link #retriesStatus}, {@link #retriesReset}
 * and {@link #retriesConnectFailure}, so the data path never parses the conditions.
 */
public record RetryConfig(int numRetries, long perTryTimeoutNanos, int conditions, int[] statusCodes,
                          boolean avoidPreviousHosts, int hostSelectionAttempts) {

    public static final RetryConfig NONE = new RetryConfig(0, 0, 0, new int[0], false, 1);

    /** Envoy's retry_on conditions, one bit each. */
    public enum Condition {
        SERVER_ERROR("5xx"), GATEWAY_ERROR("gateway-error"), RESET("reset"), RESET_BEFORE_REQUEST("reset-before-request"),
        CONNECT_FAILURE("connect-failure"), RETRIABLE_4XX("retriable-4xx"), REFUSED_STREAM("refused-stream"),
        RETRIABLE_STATUS_CODES("retriable-status-codes"), GRPC_CANCELLED("cancelled"),
        GRPC_DEADLINE_EXCEEDED("deadline-exceeded"), GRPC_INTERNAL("internal"),
        GRPC_RESOURCE_EXHAUSTED("resource-exhausted"), GRPC_UNAVAILABLE("unavailable"),
        /** Never true here: the proxy does no rate limiting and sends no retriable_request_headers. */
        ENVOY_RATELIMITED("envoy-ratelimited"), RETRIABLE_HEADERS("retriable-headers"),
        HTTP3_POST_CONNECT_FAILURE("http3-post-connect-failure");

        private final String envoyName;

        Condition(String envoyName) {
            this.envoyName = envoyName;
        }

        int bit() {
            return 1 << ordinal();
        }

        static Condition of(String name) throws InvalidConfigException {
            for (Condition c : values()) {
                if (c.envoyName.equals(name)) {
                    return c;
                }
            }
            throw new InvalidConfigException("unknown retry_on condition \"" + name + "\"");
        }
    }

    static int flags(Set<Condition> conditions) {
        int flags = 0;
        for (Condition c : conditions) {
            flags |= c.bit();
        }
        return flags;
    }

    public boolean has(Condition condition) {
        return (conditions & condition.bit()) != 0;
    }

    /** Whether a response with this status (and gRPC status, or -1) is retried. */
    public boolean retriesStatus(int status, int grpcStatus) {
        if (has(Condition.SERVER_ERROR) && status >= 500) {
            return true;
        }
        if (has(Condition.GATEWAY_ERROR) && status >= 502 && status <= 504) {
            return true;
        }
        if (has(Condition.RETRIABLE_4XX) && status == 409) {
            return true;
        }
        if (has(Condition.RETRIABLE_STATUS_CODES)) {
            for (int code : statusCodes) {
                if (code == status) {
                    return true;
                }
            }
        }
        return grpcStatus >= 0 && retriesGrpc(grpcStatus);
    }

    private boolean retriesGrpc(int grpcStatus) {
        return switch (grpcStatus) {
            case 1 -> has(Condition.GRPC_CANCELLED);
            case 4 -> has(Condition.GRPC_DEADLINE_EXCEEDED);
            case 8 -> has(Condition.GRPC_RESOURCE_EXHAUSTED);
            case 13 -> has(Condition.GRPC_INTERNAL);
            case 14 -> has(Condition.GRPC_UNAVAILABLE);
            default -> false;
        };
    }

    /** An upstream reset or a per-try timeout (Envoy treats both as a reset for retry purposes). */
    public boolean retriesReset(boolean requestSent) {
        return has(Condition.SERVER_ERROR) || has(Condition.GATEWAY_ERROR) || has(Condition.RESET)
                || (!requestSent && has(Condition.RESET_BEFORE_REQUEST));
    }

    public boolean retriesConnectFailure() {
        return has(Condition.CONNECT_FAILURE) || retriesReset(false);
    }

    /** An HTTP/2 stream the upstream refused (REFUSED_STREAM): nothing was processed. */
    public boolean retriesRefusedStream() {
        return has(Condition.REFUSED_STREAM) || retriesReset(false);
    }
}
