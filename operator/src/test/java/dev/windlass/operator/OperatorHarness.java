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
        Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        operator.register(new MeshControlPlaneReconciler(Optional.of("kind")));
        operator.register(new MeshRevisionTagReconciler());
        operator.start();
        Runtime.getRuntime().addShutdownHook(new Thread(operator::stop));
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

    void delete(String name) {
        client.resources(MeshControlPlane.class).withName(name).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> get(name) == null);
    }
}
