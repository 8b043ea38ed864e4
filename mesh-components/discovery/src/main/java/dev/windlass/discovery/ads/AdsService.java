package dev.windlass.discovery.ads;

import dev.windlass.discovery.auth.Callers;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.discovery.model.ChangeKind;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The ADS endpoint, state of the world only: the delta variant is left to the generated base class, which
 * answers UNIMPLEMENTED, and Envoy then falls back to state of the world when configured so.
 */
final class AdsService extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
    private final SnapshotSource snapshots;
    private final Connections connections = new Connections();
    private final Metrics metrics;
    private final AtomicLong streams = new AtomicLong();
    private SharedTranslations current;

    AdsService(SnapshotSource snapshots, Metrics metrics) {
        this.snapshots = snapshots;
        this.metrics = metrics;
        metrics.connectedProxies(connections::size);
    }

    @Override
    public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
        return new ProxyConnection(streams.incrementAndGet(), responses, this, Callers.CURRENT.get());
    }

    /** One debounced push to every connected proxy, all from the same registry snapshot. */
    void pushAll(ChangeKind kind, long firstChangeNanos) {
        metrics.triggered(kind == ChangeKind.FULL ? "full" : "endpoints");
        SharedTranslations translations = translations();
        for (ProxyConnection connection : connections.all()) {
            connection.push(kind, translations, firstChangeNanos);
        }
    }

    /** The translations of the registry as it is now, shared by every stream until the next change. */
    synchronized SharedTranslations translations() {
        SnapshotSource.Stamped stamped = snapshots.read();
        if (current == null || current.stamped().seq() < stamped.seq()) {
            current = new SharedTranslations(stamped);
        }
        return current;
    }

    void closeAll() {
        connections.all().forEach(ProxyConnection::close);
    }

    SnapshotSource snapshots() {
        return snapshots;
    }

    Connections connections() {
        return connections;
    }

    Metrics metrics() {
        return metrics;
    }
}
