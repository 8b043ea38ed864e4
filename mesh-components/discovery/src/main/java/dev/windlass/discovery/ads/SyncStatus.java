package dev.windlass.discovery.ads;

import dev.windlass.discovery.xds.XdsType;

import java.time.Instant;
import java.util.Map;

/** One connected proxy as /debug/syncz shows it: per type, the version sent, the version ACKed, the last NACK. */
public record SyncStatus(String nodeId, long streamId, Instant connectedAt, Map<XdsType, TypeStatus> types) {
    public record TypeStatus(String versionSent, String versionAcked, String nonceSent, Nack lastNack) {
    }

    /** A rejected response: which version, Envoy's error_detail message, and when. */
    public record Nack(String version, String message, Instant at) {
    }
}
