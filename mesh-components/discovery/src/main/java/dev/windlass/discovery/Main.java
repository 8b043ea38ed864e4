package dev.windlass.discovery;

import dev.windlass.discovery.auth.TokenReviewer;
import dev.windlass.discovery.inject.InjectorWebhook;
import dev.windlass.discovery.kube.KubeWatcher;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.discovery.security.JwksResolver;
import dev.windlass.discovery.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The discovery server's entry point: {@code windlass-discovery [--name=value]...} (see {@link DiscoveryConfig}).
 *
 * <p>Plain Java rather than Quarkus: the program is a gRPC server, two tiny HTTP endpoints and informers, all of
 * which already bring their own runtime (grpc-netty, the JDK's HttpServer, fabric8), so Quarkus would add its
 * bootstrap and dependency-injection layer for no feature we need. Measured with the image's JRE against a real
 * apiserver (README, "Runtime"): /ready after 2.3 s on a quiet 2-core machine, RSS 155 to 170 MB under a 1 GiB
 * limit; most of the start is the fabric8 client's class loading, which Quarkus in JVM mode would pay as well.
 * SIGTERM runs the shutdown hook: /ready turns 503, ADS streams end with UNAVAILABLE so proxies reconnect to
 * another replica (keeping their config meanwhile), then the informers and HTTP servers stop, the injector
 * webhook last.
 */
public final class Main {
    private Main() {
    }

    /** The log is configured before this runs, from LOG_LEVEL and LOG_AS_JSON ({@link DiscoveryLogging}). */
    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger(Main.class);
        DiscoveryConfig config;
        try {
            config = DiscoveryConfig.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("windlass-discovery: " + e.getMessage());
            System.exit(2);
            return;
        }
        String meshConfig = KubeWatcher.meshConfigName(config.revision());
        KubernetesClient client = new KubernetesClientBuilder().build();
        KubeWatcher watcher = new KubeWatcher(client, config.namespace(), meshConfig,
                new JwksResolver(JwksResolver.Timing.istiod(config.jwksRefreshInterval()), Clock.systemUTC()));
        Metrics metrics = new Metrics();
        // The webhook first: /ready (on the debug port, which DiscoveryServer opens) must not say ready while the
        // apiserver's calls to 15017 would still be refused, since failurePolicy Fail then refuses the pods.
        InjectorWebhook webhook = InjectorWebhook.start(client, config, watcher::namespaceLabels, metrics, List.of());
        DiscoveryServer server = DiscoveryServer.start(config, watcher, metrics, Optional.of(
                SecureXds.port(config, webhook.meshCa(), new TokenReviewer(client, Clock.systemUTC()), List.of())));
        // Findings and conditions on the Istio resources, on its own thread, apart from the pushes.
        StatusWriter status = StatusWriter.start(client, watcher);
        log.info("xDS on :{} (TLS, authenticated; CA), plaintext xDS {}, debug on :{}, metrics on :{}; mesh config {}/{}",
                server.xdsTlsPort(), server.xdsPort() < 0 ? "off" : "on :" + server.xdsPort() + " (unauthenticated: debugging only)",
                server.debugPort(), server.metricsPort(), config.namespace(), meshConfig);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            status.close();
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                webhook.close(); // last: pods may be created until the Service has dropped this replica
                client.close();
                stopped.countDown();
            }
        }, "shutdown"));
        stopped.await();
    }
}
