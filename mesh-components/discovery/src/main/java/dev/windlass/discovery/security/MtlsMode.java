package dev.windlass.discovery.security;

/** What a sidecar's inbound side accepts, after PeerAuthentication's UNSET has been resolved by inheritance. */
public enum MtlsMode {
    /** Plain text only: clients are told (EDS) not to send mesh mTLS. */
    DISABLE,
    /** Mesh mTLS and plain text both (Istio's default). */
    PERMISSIVE,
    /** Mesh mTLS only: anything else is closed. */
    STRICT
}
