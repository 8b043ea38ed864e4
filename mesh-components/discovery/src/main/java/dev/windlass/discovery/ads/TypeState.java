package dev.windlass.discovery.ads;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The protocol state of one resource type on one ADS stream: the subscription, and what was sent and ACKed. */
final class TypeState {
    boolean subscribed;
    /** Requested names; empty with a wildcard type means all. */
    Set<String> names = Set.of();
    String nonceSent = "";
    String versionSent = "";
    String versionAcked = "";
    String nonceAcked = "";
    SyncStatus.Nack lastNack;

    boolean sameNames(List<String> requested) {
        return names.equals(new TreeSet<>(requested));
    }

    void subscribe(List<String> requested) {
        subscribed = true;
        names = new TreeSet<>(requested);
    }
}
