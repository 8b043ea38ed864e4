package dev.windlass.discovery.ads;

import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.discovery.model.ChangeKind;
import dev.windlass.discovery.model.MeshSnapshot;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The xDS gRPC servers, plaintext (15010) and, when given, TLS with authenticated callers (15012), with their push
 * machinery: one ADS service behind both. The registry comes in as a supplier of snapshots, so tests can serve an
 * in-memory model and production the informers' caches.
 */
public final class XdsServer implements AutoCloseable {
    private final AdsService ads;
    private final PushDebouncer debouncer;
    private final Server server;
    private final Server tlsServer;

    public XdsServer(InetSocketAddress address, Supplier<MeshSnapshot> model, Metrics metrics,
                     Duration debounceQuiet, Duration debounceMax) {
        this(address, Optional.empty(), model, metrics, debounceQuiet, debounceMax);
    }

    public XdsServer(InetSocketAddress address, Optional<TlsPort> tls, Supplier<MeshSnapshot> model, Metrics metrics,
                     Duration debounceQuiet, Duration debounceMax) {
        this.ads = new AdsService(new SnapshotSource(model), metrics);
        this.debouncer = new PushDebouncer(debounceQuiet, debounceMax, ads::pushAll);
        this.server = builder(NettyServerBuilder.forAddress(address)).addService(ads).build();
        this.tlsServer = tls.map(this::tlsServer).orElse(null);
    }

    private Server tlsServer(TlsPort tls) {
        NettyServerBuilder builder = builder(NettyServerBuilder.forAddress(tls.address())).sslContext(tls.tls());
        List<ServerServiceDefinition> services = new ArrayList<>(tls.services());
        services.add(ads.bindService());
        services.forEach(s -> builder.addService(ServerInterceptors.intercept(s, tls.authentication())));
        return builder.build();
    }

    private static NettyServerBuilder builder(NettyServerBuilder builder) {
        return builder.maxInboundMessageSize(16 << 20)
                // Proxies keep their stream open for days; let them ping it to find half-dead connections.
                .permitKeepAliveTime(15, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
    }

    public XdsServer start() throws IOException {
        server.start();
        if (tlsServer != null) {
            tlsServer.start();
        }
        return this;
    }

    public int port() {
        return server.getPort();
    }

    /** The TLS port; -1 without one. */
    public int tlsPort() {
        return tlsServer == null ? -1 : tlsServer.getPort();
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
        List<Server> servers = tlsServer == null ? List.of(server) : List.of(server, tlsServer);
        servers.forEach(Server::shutdown);
        ads.closeAll();
        for (Server s : servers) {
            if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
                s.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            }
        }
    }
}
