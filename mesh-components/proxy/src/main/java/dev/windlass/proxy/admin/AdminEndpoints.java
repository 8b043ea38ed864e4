package dev.windlass.proxy.admin;

import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.LoadBalancer;
import dev.windlass.proxy.config.OutlierDetectors;
import dev.windlass.proxy.config.UpstreamEndpoint;
import dev.windlass.proxy.xds.ConfigStore;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** What the admin (15000), readiness (15021) and metrics (15090, 15020) ports answer. */
public final class AdminEndpoints {
    private final ProxyContext ctx;
    private final Runnable quit;

    /** {@code quit} runs on {@code POST /quitquitquit} (drain and exit), as Envoy's admin offers. */
    public AdminEndpoints(ProxyContext ctx, Runnable quit) {
        this.ctx = ctx;
        this.quit = quit;
    }

    public Map<String, Function<FullHttpRequest, AdminResponse>> admin() {
        Map<String, Function<FullHttpRequest, AdminResponse>> routes = new HashMap<>(metrics());
        routes.putAll(readiness());
        routes.put("/config_dump", r -> AdminResponse.json(ConfigDump.json(ctx.config().current(), BootstrapDump.of(ctx.options()))));
        routes.put("/stats", r -> AdminResponse.text(200, stats()));
        routes.put("/clusters", r -> AdminResponse.text(200, clusters(ctx.config().current())));
        routes.put("/ready", r -> ready(ctx.config().ready() ? "LIVE\n" : "PRE_INITIALIZING\n"));
        routes.put("/quitquitquit", this::quit);
        routes.put("/logging", LogLevel::handle);
        routes.put("/certs", r -> AdminResponse.json(CertsDump.json(ctx.identity())));
        routes.put("/server_info", r -> AdminResponse.json(ServerInfo.json(ctx)));
        return routes;
    }

    public Map<String, Function<FullHttpRequest, AdminResponse>> readiness() {
        return Map.of("/healthz/ready", r -> ready(""));
    }

    public Map<String, Function<FullHttpRequest, AdminResponse>> metrics() {
        return Map.of("/stats/prometheus", r -> AdminResponse.prometheus(prometheus()));
    }

    /**
     * 200 once the first full config is in and, for a proxy with a workload identity, its first certificate (mesh
     * mTLS needs it: until then the app's calls to mesh pods would fail, as Envoy's listeners wait for their SDS
     * secrets), until the proxy drains; 503 otherwise.
     */
    private AdminResponse ready(String body) {
        boolean certified = !ctx.identity().exists() || ctx.identity().current().isPresent();
        boolean ready = ctx.config().ready() && certified && !ctx.drain().draining();
        return AdminResponse.text(ready ? 200 : 503, body.isEmpty() ? (ready ? "ready\n" : "not ready\n") : body);
    }

    private AdminResponse quit(FullHttpRequest request) {
        if (!HttpMethod.POST.equals(request.method())) {
            return AdminResponse.text(405, "POST only\n");
        }
        Thread.ofPlatform().name("quitquitquit").start(quit);
        return AdminResponse.text(200, "OK\n");
    }

    private String stats() {
        StringBuilder out = new StringBuilder();
        ConfigStore config = ctx.config();
        out.append("control_plane.connected_state: ").append(config.connected() ? 1 : 0).append('\n')
                .append("control_plane.ack: ").append(config.acks()).append('\n')
                .append("control_plane.nack: ").append(config.nacks()).append('\n')
                .append("control_plane.connects: ").append(config.connects()).append('\n')
                .append("control_plane.last_nack: ").append(config.lastNack()).append('\n')
                .append("server.ready: ").append(config.ready() ? 1 : 0).append('\n')
                .append("access_log.dropped: ").append(ctx.accessLog().dropped()).append('\n')
                .append("http.requests_recorded: ").append(ctx.metrics().total()).append('\n');
        ctx.stats().writeText(out);
        outlierStats(out);
        return out.toString();
    }

    /** Envoy's {@code cluster.<name>.outlier_detection.*} of each cluster with a detector, and the proxy's sums. */
    private void outlierStats(StringBuilder out) {
        OutlierDetectors outliers = ctx.config().outliers();
        outliers.detectors().forEach((cluster, detector) -> detector.stats((stat, value) ->
                out.append("cluster.").append(cluster).append(".outlier_detection.").append(stat).append(": ")
                        .append(value).append('\n')));
        out.append("windlass.outlier_detection.ejections_active: ").append(outliers.ejectionsActive()).append('\n')
                .append("windlass.outlier_detection.ejections_total: ").append(outliers.ejectionsTotal()).append('\n');
    }

    private String prometheus() {
        StringBuilder out = new StringBuilder();
        ctx.metrics().writePrometheus(out);
        ctx.stats().writePrometheus(out);
        OutlierDetectors outliers = ctx.config().outliers();
        out.append("# TYPE windlass_proxy_outlier_detection_ejections_active gauge\n")
                .append("windlass_proxy_outlier_detection_ejections_active ").append(outliers.ejectionsActive()).append('\n')
                .append("# TYPE windlass_proxy_outlier_detection_ejections_total counter\n")
                .append("windlass_proxy_outlier_detection_ejections_total ").append(outliers.ejectionsTotal()).append('\n');
        out.append("# TYPE windlass_proxy_xds_connected gauge\nwindlass_proxy_xds_connected ")
                .append(ctx.config().connected() ? 1 : 0).append('\n')
                .append("# TYPE windlass_proxy_xds_nacks_total counter\nwindlass_proxy_xds_nacks_total ")
                .append(ctx.config().nacks()).append('\n');
        return out.toString();
    }

    /**
     * Envoy's /clusters text: {@code cluster::host:port::health_flags::healthy} (or {@code /failed_outlier_check}
     * for a host outlier detection ejected), active requests and the host's EDS priority.
     */
    static String clusters(ConfigSnapshot snapshot) {
        StringBuilder out = new StringBuilder();
        for (ClusterConfig cluster : new TreeMap<>(snapshot.clusters()).values()) {
            LoadBalancer balancer = snapshot.balancer(cluster.name());
            out.append(cluster.name()).append("::default_priority::max_requests::1024\n");
            for (int i = 0; i < balancer.endpoints().size(); i++) {
                UpstreamEndpoint endpoint = balancer.endpoint(i);
                String prefix = cluster.name() + "::" + endpoint.address() + "::";
                out.append(prefix).append("health_flags::")
                        .append(balancer.ejected(i) ? "/failed_outlier_check" : "healthy").append('\n')
                        .append(prefix).append("rq_active::").append(balancer.activeRequests(i)).append('\n')
                        .append(prefix).append("priority::").append(endpoint.priority()).append('\n');
                if (endpoint.workload() != null) {
                    out.append(prefix).append("workload::").append(endpoint.workload()).append('.')
                            .append(endpoint.namespace()).append('\n');
                }
            }
        }
        return out.toString();
    }
}
