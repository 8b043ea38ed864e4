package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;
import dev.windlass.bench.mesh.JavaCommand;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.TestAdsServer;
import dev.windlass.proxy.testing.TlsResources;
import dev.windlass.proxy.xds.ResourceType;
import io.envoyproxy.envoy.config.listener.v3.Listener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Windlass gateway proxy ({@code dev.windlass.proxy.Main router}, image JVM flags, 2 event loops as nginx's 2
 * workers) configured over ADS with what the contract of issue 18 has the discovery server send for a Gateway
 * with an HTTP server and an HTTPS server in file form: listeners 0.0.0.0_8000 and 0.0.0.0_8443, routes
 * {@code http.8000} and {@code https.8443...} to one EDS cluster at 127.0.0.1:8080. The ADS server runs in the
 * harness; the pod reaches it through a Unix socket relayed by socat. {@code provider} picks BoringSSL or the JDK.
 */
final class WindlassGateway extends GatewayTopology {
    private static final String CLUSTER = "outbound|8080||server.bench.svc.cluster.local";
    private static final String HTTPS_ROUTES = "https.8443.https.bench-gateway.bench";
    private final Path java;
    private final String classpath;
    private final List<String> flags;
    private final String provider;
    private TestAdsServer ads;

    WindlassGateway(PodPair pods, Path logDir, Path java, String classpath, List<String> flags, String provider) {
        super(pods, logDir);
        this.java = java;
        this.classpath = classpath;
        this.flags = flags;
        this.provider = provider;
    }

    @Override
    public String name() {
        return "windlass-" + provider;
    }

    @Override
    protected Process startProxy(Path certificates) throws Exception {
        ads = new TestAdsServer();
        serve(certificates);
        Path socket = logDir.resolve(name() + "-xds.sock");
        Files.deleteIfExists(socket);
        start(null, "xds-relay-host", List.of("socat", "UNIX-LISTEN:" + socket + ",fork,mode=777",
                "TCP:" + ads.address()), Map.of());
        start(pods.server(), "xds-relay", List.of("socat", "TCP-LISTEN:15010,bind=127.0.0.1,reuseaddr,fork",
                "UNIX-CONNECT:" + socket), Map.of());
        Map<String, String> env = Map.of("POD_NAME", "windlass-ingressgateway-6b9f7c8d5-k2x9p", "POD_NAMESPACE", "bench",
                "INSTANCE_IP", pods.serverIp(), "DISCOVERY_ADDRESS", "127.0.0.1:15010", "PROXY_TLS_PROVIDER", provider,
                "PROXY_CONCURRENCY", "2", "ADMIN_PORT", "0", "PROMETHEUS_PORT", "0", "MERGED_METRICS_PORT", "0");
        // GID 1337 only, as the bench's sidecars: the image JRE lies under root's home, which UID 1337 cannot read.
        List<String> command = new java.util.ArrayList<>(List.of("setpriv", "--regid", "1337", "--clear-groups"));
        command.addAll(JavaCommand.of(java, flags, classpath, "dev.windlass.proxy.Main", "router"));
        return start(pods.server(), "gateway", command, env);
    }

    private void serve(Path certificates) {
        var tls = TlsResources.downstream(TlsResources.fileCertificate(certificates.resolve("tls.crt"),
                certificates.resolve("tls.key")).addAlpnProtocols("http/1.1"), false);
        Listener https = TlsResources.listener("0.0.0.0", TLS_PORT, List.of(TlsResources.httpsChain(HTTPS_ROUTES, tls)));
        Listener http = Resources.gatewayListener("0.0.0.0", PLAIN_PORT, "http.8000");
        ads.set(ResourceType.CDS, "1", Resources.edsCluster(CLUSTER));
        ads.set(ResourceType.EDS, "1", Resources.endpoints(CLUSTER, "server", "127.0.0.1:" + APP_PORT));
        ads.set(ResourceType.LDS, "1", http, https);
        ads.set(ResourceType.RDS, "1", Resources.routes("http.8000", Resources.virtualHost("*:8000", List.of("*"), CLUSTER)),
                Resources.routes(HTTPS_ROUTES, Resources.virtualHost("*:8443", List.of("*"), CLUSTER)));
    }

    @Override
    public synchronized void close() {
        super.close();
        if (ads != null) {
            try {
                ads.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
