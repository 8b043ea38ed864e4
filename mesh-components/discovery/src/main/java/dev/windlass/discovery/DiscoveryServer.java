package dev.windlass.discovery;

import dev.windlass.discovery.ads.TlsPort;
import dev.windlass.discovery.ads.XdsServer;
import dev.windlass.discovery.http.DebugEndpoints;
import dev.windlass.discovery.http.HttpEndpoints;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.discovery.model.ModelSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

/**
 * The running discovery server: the registry source, the xDS gRPC server, the debug pages and the metrics.
 * Started in the order that keeps /ready honest: debug and metrics first (so probes get 503, not refused),
 * then the informers, then gRPC.
 */
public final class DiscoveryServer implements AutoCloseable {
    private final ModelSource model;
    private final Metrics metrics;
    private final XdsServer xds;
    private final HttpEndpoints debug;
    private final HttpEndpoints metricsEndpoint;
    private volatile boolean serving;

    private DiscoveryServer(DiscoveryConfig config, ModelSource model, Metrics metrics, Optional<TlsPort> tls) throws IOException {
        this.model = model;
        this.metrics = metrics;
        this.xds = new XdsServer(config.plaintextXds().map(port -> new InetSocketAddress(config.bindAddress(), port)), tls, model::snapshot,
                metrics, config.debounceQuiet(), config.debounceMax());
        var pages = DebugEndpoints.handlers(DebugEndpoints.readiness(model::synced, () -> serving), xds.connections());
        // Loopback only: syncz and config_dump show every proxy's configuration, so no other pod may read them
        // (kubectl port-forward and the CLI reach it inside the pod); the kubelet probes /ready on the metrics port.
        this.debug = new HttpEndpoints(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.debugPort()), "debug-http", pages);
        this.metricsEndpoint = new HttpEndpoints(new InetSocketAddress(config.bindAddress(), config.metricsPort()),
                "metrics-http", Map.of("/metrics", q -> new HttpEndpoints.Response(200,
                        "text/plain; version=0.0.4; charset=utf-8", metrics.exposition()),
                        "/ready", pages.get("/ready")));
    }

    public static DiscoveryServer start(DiscoveryConfig config, ModelSource model) throws IOException {
        return start(config, model, new Metrics(), Optional.empty());
    }

    /**
     * With metrics shared with the injector webhook, which Main starts first, and the authenticated TLS port when
     * given (it needs the CA, which the webhook loads).
     */
    public static DiscoveryServer start(DiscoveryConfig config, ModelSource model, Metrics metrics,
                                        Optional<TlsPort> tls) throws IOException {
        DiscoveryServer server = new DiscoveryServer(config, model, metrics, tls);
        try {
            server.debug.start();
            server.metricsEndpoint.start();
            model.start(server.xds::changed);
            server.xds.start();
        } catch (IOException | RuntimeException e) {
            // e.g. the xDS port is taken: stop what did start, so that the process exits and is restarted
            try {
                server.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        server.serving = true;
        return server;
    }

    public XdsServer xds() {
        return xds;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The plaintext xDS port; -1 when off. */
    public int xdsPort() {
        return xds.port();
    }

    /** The authenticated TLS xDS and CA port; -1 when not started with one. */
    public int xdsTlsPort() {
        return xds.tlsPort();
    }

    public int debugPort() {
        return debug.port();
    }

    public int metricsPort() {
        return metricsEndpoint.port();
    }

    /** Not ready first (probes fail, the Service stops routing to us), then streams end, then everything stops. */
    @Override
    public void close() throws InterruptedException {
        serving = false;
        try {
            xds.close();
        } finally {
            model.close();
            debug.close();
            metricsEndpoint.close();
        }
    }
}
