package dev.windlass.discovery.ads;

import dev.windlass.discovery.xds.XdsType;

import java.time.Instant;
import java.util.Map;

/**
 * One connected proxy as /debug/syncz shows it: who the TLS port authenticated ({@code caller}, empty on the
 * plaintext port), and per type the version sent, the version ACKed, the last NACK.
 */
public record SyncStatus(String nodeId, long streamId, Instant connectedAt, String caller, Map<XdsType, TypeStatus> types) {
    public record TypeStatus(String versionSent, String versionAcked, String nonceSent, String nonceAcked, Nack lastNack) {
        /**
         * As istioctl proxy-status says it: NOT SENT before the first response, SYNCED when the proxy ACKed the
         * last response sent, STALE while that response is not ACKed (in flight, NACKed, or the proxy is stuck).
         */
        public String state() {
            if (nonceSent.isEmpty()) {
                return "NOT SENT";
            }
            return nonceSent.equals(nonceAcked) ? "SYNCED" : "STALE";
        }
    }

    /** A rejected response: which version, Envoy's error_detail message, and when. */
    public record Nack(String version, String message, Instant at) {
    }
}
