package dev.windlass.discovery.model;

/** What a registry change can affect: only endpoints (EndpointSlices), or anything (Services, Pods, mesh config). */
public enum ChangeKind {
    ENDPOINTS, FULL;

    /** Two changes in one debounce window: a full push covers an endpoint one. */
    public ChangeKind merge(ChangeKind other) {
        return this == FULL || other == FULL ? FULL : ENDPOINTS;
    }
}
