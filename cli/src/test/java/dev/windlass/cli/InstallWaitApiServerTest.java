package dev.windlass.cli;

import dev.windlass.profiles.render.OperatorResources;
import dev.windlass.testsupport.ApiServer;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tier 2: windlass install on a real apiserver while the operator cannot run. The apiserver has no kubelet, so the
 * test writes the operator pod's status and the kubelet's pull events as a kubelet would.
 */
class InstallWaitApiServerTest {
    private static final String NS = OperatorResources.NAMESPACE;
    private static final String POD = "windlass-operator-5c8d7-q2x9z";
    private static final String PULL_ERROR = "failed to pull and unpack image \"127.0.0.1:1/operator:0.2.0\": failed to resolve "
            + "reference \"127.0.0.1:1/operator:0.2.0\": failed to do request: Head \"https://127.0.0.1:1/v2/operator/manifests/0.2.0\": "
            + "dial tcp 127.0.0.1:1: connect: connection refused";
    private static KubernetesClient client;
    private static Path kubeconfig;

    @BeforeAll
    static void operatorNamespace() throws IOException {
        client = ApiServer.client();
        kubeconfig = ApiServer.kubeconfigFile();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
    }

    @AfterEach
    void removeTheOperatorAndTheMesh() {
        client.apps().deployments().inNamespace(NS).withName(OperatorResources.NAME).delete();
        client.pods().inNamespace(NS).delete();
        client.v1().events().inNamespace(NS).delete();
        client.genericKubernetesResources("mesh.windlass.dev/v1alpha1", "MeshControlPlane").withName("install-wait").delete();
        client.nodes().withName("install-wait-node").delete();
    }

    @Test
    void anOperatorImageThatCannotBePulledEndsTheInstallAtOnceNamingTheImageAndTheError(@TempDir Path dir) throws IOException {
        operatorPod("127.0.0.1:1/operator:0.2.0", new PodStatusBuilder().withPhase("Pending").addNewContainerStatus().withName("operator")
                .withReady(false).withImage("127.0.0.1:1/operator:0.2.0").withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"127.0.0.1:1/operator:0.2.0\": ErrImagePull: " + PULL_ERROR)
                .endWaiting().endState().endContainerStatus().build());
        failedPulls(2);

        Instant start = Instant.now();
        WindlassCliTest.Result result = install(dir, "--hub", "127.0.0.1:1", "--timeout", "60s");

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).startsWith("windlass: meshcontrolplane/install-wait cannot become Ready: the operator cannot start: pod "
                + POD + ": container operator cannot get image 127.0.0.1:1/operator:0.2.0 (pulled 2 times, failed each time): " + PULL_ERROR);
        assertThat(result.out()).contains("✔ the operator is installed (127.0.0.1:1/operator:0.2.0)");
        assertThat(client.genericKubernetesResources("mesh.windlass.dev/v1alpha1", "MeshControlPlane").withName("install-wait").get()
                .get("spec", "values", "global", "hub").toString()).isEqualTo("127.0.0.1:1");
    }

    @Test
    void aPullThatFailedOnceIsWaitedForAndTheTimeoutSaysWhatItWaitedFor(@TempDir Path dir) throws IOException {
        operatorPod("127.0.0.1:1/operator:0.2.0", new PodStatusBuilder().withPhase("Pending").addNewContainerStatus().withName("operator")
                .withReady(false).withNewState().withNewWaiting().withReason("ErrImagePull").withMessage(PULL_ERROR)
                .endWaiting().endState().endContainerStatus().build());
        failedPulls(1);

        WindlassCliTest.Result result = install(dir, "--hub", "127.0.0.1:1", "--timeout", "3s");

        assertThat(result.code()).isEqualTo(1);
        String waiting = "the operator to run:\n  pod " + POD + ": container operator cannot get image 127.0.0.1:1/operator:0.2.0 (ErrImagePull): "
                + PULL_ERROR;
        assertThat(result.out()).contains("s] waiting for " + waiting + "\n");
        assertThat(result.err()).startsWith("windlass: meshcontrolplane/install-wait is not Ready after 3s; still waiting for " + waiting + "\n");
    }

    @Test
    void aCrashLoopShowsItsExitCodeAndRestartsAndThatItLeftNoLog(@TempDir Path dir) throws IOException {
        operatorPod("127.0.0.1:1/operator:0.2.0", new PodStatusBuilder().withPhase("Running").addNewContainerStatus().withName("operator")
                .withReady(false).withRestartCount(4).withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).endTerminated().endLastState().endContainerStatus().build());

        WindlassCliTest.Result result = install(dir, "--hub", "127.0.0.1:1", "--timeout", "2s");

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("still waiting for the operator to run:\n  pod " + POD
                + ": container operator is in CrashLoopBackOff (exit code 1, 4 restarts); last log line: (no log)\n");
    }

    @Test
    void anInstalledOperatorWaitingToPullAgainIsRestartedAtOnce(@TempDir Path dir) throws IOException {
        OperatorResources.render("windlass/operator:0.2.0", Optional.empty()).forEach(o -> client.resource(o).serverSideApply());
        operatorPod("windlass/operator:0.2.0", new PodStatusBuilder().withPhase("Pending").addNewContainerStatus().withName("operator")
                .withReady(false).withNewState().withNewWaiting().withReason("ImagePullBackOff").withMessage("Back-off pulling image")
                .endWaiting().endState().endContainerStatus().build());
        node("docker.io/windlass/discovery:0.2.0", "docker.io/windlass/proxy:0.2.0");

        WindlassCliTest.Result result = install(dir, "--timeout", "2s");

        assertThat(result.out()).contains("✔ the operator is already installed (windlass/operator:0.2.0)\n",
                "restarted the operator pod " + POD + ", which was waiting to pull its image again");
        assertThat(client.pods().inNamespace(NS).withName(POD).get()).isNull();
        assertThat(result.err()).contains("is not Ready after 2s; still waiting for the operator to run:\n  no pod yet\n");
    }

    @Test
    void anInstalledOperatorIsKeptAndSaysSoWhenThisInstallWouldHaveUsedAnotherImage(@TempDir Path dir) throws IOException {
        OperatorResources.render("windlass/operator:0.2.0", Optional.empty()).forEach(o -> client.resource(o).serverSideApply());

        WindlassCliTest.Result result = install(dir, "--hub", "127.0.0.1:1", "--timeout", "1s");

        assertThat(result.out()).contains("✔ the operator is already installed (windlass/operator:0.2.0); kept, not replaced by "
                + "127.0.0.1:1/operator:0.2.0: windlass uninstall --purge first to change it\n");
        assertThat(client.apps().deployments().inNamespace(NS).withName(OperatorResources.NAME).get().getSpec().getTemplate().getSpec()
                .getContainers().getFirst().getImage()).isEqualTo("windlass/operator:0.2.0");
    }

    @Test
    void aSpecTheOperatorRefusedEndsTheInstallAtOnce(@TempDir Path dir) throws IOException {
        assertThat(install(dir, "--timeout", "1s").code()).isEqualTo(1);
        var mesh = client.genericKubernetesResources("mesh.windlass.dev/v1alpha1", "MeshControlPlane").withName("install-wait");
        String refusal = "The API server refused the rendered mesh: Service install-wait/windlass-discovery: spec.ports[0].nodePort: "
                + "Invalid value: 1: provided port is not in the valid range. Nothing was changed; fix the spec to continue";
        GenericKubernetesResource refused = mesh.get();
        refused.setAdditionalProperty("status", Map.of("observedGeneration", refused.getMetadata().getGeneration(), "conditions", List.of(
                Map.of("type", "Reconciled", "status", "False", "reason", "InvalidSpec", "message", refusal,
                        "lastTransitionTime", Instant.now().toString()))));
        client.resource(refused).updateStatus();

        Instant start = Instant.now();
        WindlassCliTest.Result result = install(dir, "--timeout", "60s");

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).startsWith("windlass: meshcontrolplane/install-wait cannot become Ready: the operator refused its spec "
                + "(InvalidSpec): " + refusal + "\n");
    }

    private static WindlassCliTest.Result install(Path dir, String... flags) throws IOException {
        Path mcp = Files.writeString(dir.resolve("mcp.yaml"), """
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: install-wait}
                spec: {profile: minimal, namespace: install-wait}
                """);
        List<String> args = new java.util.ArrayList<>(List.of("install", "-f", mcp.toString(), "--kubeconfig", kubeconfig.toString()));
        args.addAll(List.of(flags));
        return WindlassCliTest.run(args.toArray(String[]::new));
    }

    /** A pod of the operator's Deployment (matched by its selector), with the status a kubelet would write. */
    private static void operatorPod(String image, PodStatus status) {
        Pod pod = client.resource(new PodBuilder().withNewMetadata().withName(POD).withNamespace(NS)
                .withLabels(Map.of("app.kubernetes.io/name", OperatorResources.NAME)).endMetadata()
                .withNewSpec().addNewContainer().withName("operator").withImage(image).endContainer().endSpec().build()).create();
        pod.setStatus(status);
        client.resource(pod).updateStatus();
    }

    /** The kubelet's event for failed pulls of the pod; it counts repeats of the same message. */
    private static void failedPulls(int count) {
        String now = Instant.now().toString();
        client.resource(new EventBuilder().withNewMetadata().withName(POD + ".pull").withNamespace(NS).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(POD).withNamespace(NS).endInvolvedObject()
                .withType("Warning").withReason("Failed").withMessage("Failed to pull image \"127.0.0.1:1/operator:0.2.0\": " + PULL_ERROR)
                .withCount(count).withFirstTimestamp(now).withLastTimestamp(now).build()).create();
    }

    private static void node(String... images) {
        Node node = client.resource(new NodeBuilder().withNewMetadata().withName("install-wait-node").endMetadata().build()).create();
        node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .withImages(List.of(new ContainerImage(List.of(images), 1L))).build());
        client.resource(node).updateStatus();
    }
}
