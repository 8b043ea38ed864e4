package dev.windlass.proxy.config;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Envoy's fault filter for one route: a delay for a share of requests, an abort (HTTP status, or a gRPC status
 * when {@code abortGrpcStatus} ≥ 0) for a share. Shares are per million, as Envoy's MILLION denominator.
 */
public record FaultConfig(long delayNanos, int delayPerMillion, int abortHttpStatus, int abortGrpcStatus,
                          int abortPerMillion) {

    public boolean hasDelay() {
        return delayNanos > 0 && delayPerMillion > 0;
    }

    public boolean hasAbort() {
        return (abortHttpStatus > 0 || abortGrpcStatus >= 0) && abortPerMillion > 0;
    }

    /** Whether this request is delayed: one random draw, as the fault filter makes per request. */
    public boolean delays() {
        return hasDelay() && ThreadLocalRandom.current().nextInt(1_000_000) < delayPerMillion;
    }

    public boolean aborts() {
        return hasAbort() && ThreadLocalRandom.current().nextInt(1_000_000) < abortPerMillion;
    }
}
