package dev.windlass.discovery.ads;

import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.discovery.model.ChangeKind;
import dev.windlass.discovery.model.MeshSnapshot;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The plaintext xDS gRPC server (15010) with its push machinery. The registry comes in as a supplier of
 * snapshots, so tests can serve an in-memory model and production the informers' caches.
 */
public final class XdsServer implements AutoCloseable {
    private final AdsService ads;
    private final PushDebouncer debouncer;
    private final Server server;

    public XdsServer(InetSocketAddress address, Supplier<MeshSnapshot> model, Metrics metrics,
                     Duration debounceQuiet, Duration debounceMax) {
        this.ads = new AdsService(new SnapshotSource(model), metrics);
        this.debouncer = new PushDebouncer(debounceQuiet, debounceMax, ads::pushAll);
        this.server = NettyServerBuilder.forAddress(address)
                .addService(ads)
                .maxInboundMessageSize(16 << 20)
                // Proxies keep their stream open for days; let them ping it to find half-dead connections.
                .permitKeepAliveTime(15, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .build();
    }

    public XdsServer start() throws IOException {
        server.start();
        return this;
    }

    public int port() {
        return server.getPort();
    }

    /** Something in the registry changed: push, after the debounce, to every connected proxy. */
    public void changed(ChangeKind kind) {
        ads.snapshots().changed();
        debouncer.request(kind);
    }

    public Connections connections() {
        return ads.connections();
    }

    /** Stops pushing, ends every stream (the proxies keep their config and reconnect elsewhere), then stops. */
    @Override
    public void close() throws InterruptedException {
        debouncer.close();
        server.shutdown();
        ads.closeAll();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
