package dev.windlass.discovery.ads;

import dev.windlass.discovery.ca.ServingCertificates;
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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The xDS gRPC servers, TLS with authenticated callers (15012) and, when asked for, plaintext (15010), with their push
 * machinery: one ADS service behind both. The registry comes in as a supplier of snapshots, so tests can serve an
 * in-memory model and production the informers' caches.
 */
public final class XdsServer implements AutoCloseable {
    private final AdsService ads;
    private final PushDebouncer debouncer;
    private final Server server;
    private final Server tlsServer;
    private final Optional<ServingCertificates> tlsCertificates;

    /**
     * @param plaintext the unauthenticated port (15010), off unless asked for: it serves any caller any proxy's
     *                  configuration, so it is for debugging and for tests only
     */
    public XdsServer(Optional<InetSocketAddress> plaintext, Optional<TlsPort> tls, Supplier<MeshSnapshot> model,
                     Metrics metrics, Duration debounceQuiet, Duration debounceMax) {
        this.ads = new AdsService(new SnapshotSource(model), metrics);
        this.debouncer = new PushDebouncer(debounceQuiet, debounceMax, ads::pushAll);
        this.server = plaintext.map(address -> builder(NettyServerBuilder.forAddress(address)).addService(ads).build()).orElse(null);
        this.tlsServer = tls.map(this::tlsServer).orElse(null);
        this.tlsCertificates = tls.map(TlsPort::certificates);
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
        for (Server s : servers()) {
            s.start();
        }
        return this;
    }

    /** The plaintext port; -1 without one. */
    public int port() {
        return server == null ? -1 : server.getPort();
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

    private List<Server> servers() {
        return Stream.of(server, tlsServer).filter(Objects::nonNull).toList();
    }

    public Connections connections() {
        return ads.connections();
    }

    /** Stops pushing, ends every stream (the proxies keep their config and reconnect elsewhere), then stops. */
    @Override
    public void close() throws InterruptedException {
        debouncer.close();
        List<Server> servers = servers();
        servers.forEach(Server::shutdown);
        ads.closeAll();
        for (Server s : servers) {
            if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
                s.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            }
        }
        tlsCertificates.ifPresent(ServingCertificates::close);
    }
}
