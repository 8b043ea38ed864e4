package dev.windlass.discovery.ads;

import dev.windlass.discovery.xds.ProxyResources;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The ADS streams whose proxy has said who it is; what pushes go to and what the debug pages list. */
public final class Connections {
    private final Map<Long, ProxyConnection> byStream = new ConcurrentHashMap<>();

    void add(ProxyConnection connection) {
        byStream.put(connection.id(), connection);
    }

    void remove(ProxyConnection connection) {
        byStream.remove(connection.id());
    }

    List<ProxyConnection> all() {
        return byStream.values().stream().sorted(Comparator.comparingLong(ProxyConnection::id)).toList();
    }

    public int size() {
        return byStream.size();
    }

    public List<SyncStatus> status() {
        return all().stream().map(ProxyConnection::status).toList();
    }

    /**
     * What a proxy is served now, by its full node id or by {@code pod.ns}; with several streams for one proxy
     * (a reconnect racing the old stream's end), the newest.
     */
    public Optional<ProxyResources> resources(String proxyId) {
        return all().stream()
                .filter(c -> c.node().id().equals(proxyId) || c.node().podId().equals(proxyId))
                .reduce((first, second) -> second)
                .map(ProxyConnection::resources);
    }
}
