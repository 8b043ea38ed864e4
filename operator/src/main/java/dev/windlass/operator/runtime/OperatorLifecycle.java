package dev.windlass.operator.runtime;

import dev.windlass.operator.MeshControlPlaneReconciler;
import dev.windlass.operator.OperatorSettings;
import dev.windlass.operator.tags.MeshRevisionTagReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Starts the Java Operator SDK when Quarkus has started (its HTTP server already answers the probes) and stops it
 * on shutdown: the MeshControlPlane and MeshRevisionTag controllers on the Quarkus-made client, with leader election
 * so that one replica reconciles, and JOSDK's reconcile metrics in Quarkus's Prometheus registry. A failed start
 * (an informer that cannot list, say) ends the process with exit code 1, so that Kubernetes restarts the pod.
 */
@Singleton
public class OperatorLifecycle {
    private static final Logger LOG = Logger.getLogger(OperatorLifecycle.class);

    private final Operator operator;
    private final OperatorState state;
    private final OperatorSettings settings;

    OperatorLifecycle(KubernetesClient client, MeterRegistry registry, OperatorSettings settings, OperatorState state,
                      MeshControlPlaneReconciler meshControlPlane, MeshRevisionTagReconciler meshRevisionTag) {
        this.state = state;
        this.settings = settings;
        // JOSDK calls these before its own callbacks; losing the lease ends the process (JOSDK's default).
        LeaderCallbacks leadership = new LeaderCallbacks(() -> state.leading(true), () -> state.leading(false), leader -> { });
        this.operator = new Operator(o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(false) // Quarkus closes the client it made
                .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build())
                .withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
                        .aLeaderElectionConfiguration(OperatorSettings.LEASE_NAME)
                        .withLeaseNamespace(settings.leaseNamespace()).withIdentity(settings.identityOrPid())
                        .withLeaderCallbacks(leadership).build()));
        operator.register(meshControlPlane);
        operator.register(meshRevisionTag);
    }

    void start(@Observes StartupEvent event) {
        try {
            operator.start();
        } catch (RuntimeException e) {
            String reason = Causes.summary(e);
            state.failed(reason);
            LOG.errorf("the operator could not start, exiting with code 1: %s", reason);
            LOG.debug("the start failure in full", e);
            Quarkus.asyncExit(1);
            return;
        }
        state.running(OperatorState.Runtime.of(operator.getRuntimeInfo()));
        LOG.infof("windlass operator started as %s (lease %s/%s), platform %s", settings.identityOrPid(),
                settings.leaseNamespace(), OperatorSettings.LEASE_NAME, settings.platform().orElse("none"));
    }

    void stop(@Observes ShutdownEvent event) {
        state.stopped();
        operator.stop();
    }
}
