package dev.windlass.proxy.http;

import dev.windlass.proxy.config.FaultConfig;

/**
 * Envoy's fault filter: per request, an independent draw for the delay and one for the abort. The delay comes
 * first; an abort answers {@code fault filter abort} with the configured status, or for gRPC a trailers-only
 * 200 carrying the grpc-status.
 */
final class Faults {
    /** No fault for this request. */
    static final Decision NONE = new Decision(0, null);

    record Decision(long delayNanos, LocalReply abort) {
    }

    private Faults() {
    }

    static Decision decide(FaultConfig fault) {
        if (fault == null) {
            return NONE;
        }
        long delay = fault.delays() ? fault.delayNanos() : 0;
        LocalReply abort = null;
        if (fault.aborts()) {
            abort = fault.abortGrpcStatus() >= 0 ? new LocalReply(200, "", "FI", null, fault.abortGrpcStatus())
                    : LocalReply.faultAbort(fault.abortHttpStatus());
        }
        return delay == 0 && abort == null ? NONE : new Decision(delay, abort);
    }

}
