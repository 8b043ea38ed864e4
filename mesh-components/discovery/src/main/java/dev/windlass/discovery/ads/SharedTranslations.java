package dev.windlass.discovery.ads;

import dev.windlass.discovery.xds.EndpointViews;
import dev.windlass.discovery.xds.ProxyNode;
import dev.windlass.discovery.xds.ProxyShape;
import dev.windlass.discovery.xds.Translator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The translations of one registry snapshot, one per proxy shape, shared by the streams of that shape: a push to
 * N proxies translates as many times as there are shapes, and every stream holds the same immutable resources.
 */
final class SharedTranslations {
    private final SnapshotSource.Stamped stamped;
    private final EndpointViews endpoints;
    private final Map<Object, ServedResources> byKey = new ConcurrentHashMap<>();

    SharedTranslations(SnapshotSource.Stamped stamped) {
        this.stamped = stamped;
        this.endpoints = Translator.endpointViews(stamped.snapshot());
    }

    SnapshotSource.Stamped stamped() {
        return stamped;
    }

    /** Everything this snapshot serves {@code node}. */
    ServedResources full(ProxyNode node) {
        return byKey.computeIfAbsent(ProxyShape.of(stamped.snapshot(), node),
                shape -> new ServedResources(Translator.translate(stamped.snapshot(), node, endpoints)));
    }

    /**
     * {@code previous} with this snapshot's endpoints, for an endpoint-only change. Keyed by the previous
     * resources too (ServedResources compares by identity), so that a stream never gets another translation's
     * clusters and listeners.
     */
    ServedResources withEndpoints(ProxyNode node, ServedResources previous) {
        return byKey.computeIfAbsent(List.of(ProxyShape.of(stamped.snapshot(), node), previous),
                key -> new ServedResources(previous.resources().withEndpoints(endpoints.forProxy(node))));
    }
}
