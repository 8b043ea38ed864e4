package dev.windlass.operator;

import dev.windlass.operator.tags.MeshRevisionTagReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: the MeshControlPlane and MeshRevisionTag controllers, with leader election so that only one replica
 * reconciles, Prometheus metrics of reconcile counts, durations and errors, and probes.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        OperatorSettings settings = OperatorSettings.from(System.getenv());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        KubernetesClient client = new KubernetesClientBuilder().build();
        Operator operator = new Operator(o -> o
                .withKubernetesClient(client)
                .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build())
                .withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
                        .aLeaderElectionConfiguration(OperatorSettings.LEASE_NAME)
                        .withLeaseNamespace(settings.leaseNamespace()).withIdentity(settings.identity()).build()));
        operator.register(new MeshControlPlaneReconciler(settings.platform()));
        operator.register(new MeshRevisionTagReconciler());
        OperatorHttpServer http = OperatorHttpServer.start(settings.httpPort(), operator::getRuntimeInfo, registry);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.stop();
            http.stop();
        }));
        operator.start();
        LOG.info("windlass operator started as {} (lease {}/{}), platform {}", settings.identity(), settings.leaseNamespace(),
                OperatorSettings.LEASE_NAME, settings.platform().orElse("none"));
    }
}
