package dev.windlass.operator;

import dev.windlass.operator.tags.MeshRevisionTagReconciler;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.operator.install.ManagedObjects;
import dev.windlass.testsupport.ApiServer;
import dev.windlass.testsupport.ControllerStandIn;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator running in the test JVM against the tier-2 apiserver, with the same reconciler class the image
 * runs, plus the {@link ControllerStandIn}. One per test JVM.
 */
final class OperatorHarness {
    private static OperatorHarness instance;

    final KubernetesClient client;
    final ControllerStandIn standIn;

    private OperatorHarness(KubernetesClient client) {
        this.client = client;
        this.standIn = new ControllerStandIn(client);
        Operator operator = startOperator(client);
        Runtime.getRuntime().addShutdownHook(new Thread(operator::stop));
    }

    /**
     * An informer's first list can fail on a loaded machine (the apiserver closes the connection). The image then
     * exits and its pod restarts; here a failed operator is stopped and started afresh, so that a half-started
     * one never runs beside the next (two operators reconciling the same meshes made finalizers hang).
     */
    private static Operator startOperator(KubernetesClient client) {
        for (int attempt = 1; ; attempt++) {
            Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
            operator.register(new MeshControlPlaneReconciler(Optional.of("kind")));
            operator.register(new MeshRevisionTagReconciler());
            try {
                operator.start();
                return operator;
            } catch (RuntimeException e) {
                operator.stop();
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    static synchronized OperatorHarness get() {
        if (instance == null) {
            KubernetesClient client = ApiServer.client();
            ApiServer.installMeshCrd();
            instance = new OperatorHarness(client);
        }
        return instance;
    }

    MeshControlPlane apply(String yaml) {
        MeshControlPlane mcp = Serialization.unmarshal(yaml, MeshControlPlane.class);
        return client.resource(mcp).serverSideApply();
    }

    MeshControlPlane get(String name) {
        return client.resources(MeshControlPlane.class).withName(name).get();
    }

    Optional<Condition> condition(String name, String type) {
        MeshControlPlane mcp = get(name);
        if (mcp == null || mcp.getStatus() == null || mcp.getStatus().conditions() == null) {
            return Optional.empty();
        }
        return mcp.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    MeshControlPlane awaitCondition(String name, String type, String status, String reason) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> condition(name, type)
                .filter(c -> status.equals(c.getStatus()) && (reason == null || reason.equals(c.getReason()))).isPresent());
        return get(name);
    }

    /** Every object of every managed kind that carries this mesh's labels. */
    List<HasMetadata> managedObjects(String instance) {
        return new ManagedObjects(client).all(instance).stream().filter(o -> o.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** Waits for the finalizer; on timeout the failure shows the object as it was left, to say why. */
    void delete(String name) {
        client.resources(MeshControlPlane.class).withName(name).delete();
        try {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                MeshControlPlane left = get(name);
                assertThat(left).as(() -> "MeshControlPlane " + name + " still there:\n" + Serialization.asYaml(left)).isNull();
            });
        } catch (RuntimeException | AssertionError e) {
            System.err.println(threadDump());
            throw e;
        }
    }

    /** What the operator's threads were doing: a finalizer that never runs is a reconcile that never ends. */
    private static String threadDump() {
        StringBuilder dump = new StringBuilder("Threads of the test JVM:\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        return dump.toString();
    }
}
