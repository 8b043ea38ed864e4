package dev.windlass.discovery.routing;

import java.time.Duration;

/**
 * Injected faults of a rule: a delay for a share of the requests, an abort (HTTP status, or a gRPC status
 * name) for a share. Null parts are absent.
 */
public record FaultPolicy(Delay delay, Abort abort) {

    public static final FaultPolicy NONE = new FaultPolicy(null, null);

    public boolean isEmpty() {
        return delay == null && abort == null;
    }

    public record Delay(Duration fixed, double percent) {
    }

    /** {@code httpStatus} 0 when {@code grpcStatus} is used instead. */
    public record Abort(int httpStatus, String grpcStatus, double percent) {
    }
}
