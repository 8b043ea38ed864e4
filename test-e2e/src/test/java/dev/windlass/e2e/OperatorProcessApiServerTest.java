package dev.windlass.e2e;

import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.testsupport.ApiServer;
import dev.windlass.testsupport.OperatorProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tier 2: the operator's Quarkus fast-jar, as the image runs it, against a real apiserver. Its probes and metrics
 * are Quarkus's (SmallRye Health, Micrometer); readiness needs the leader lease; a start that cannot list exits
 * non-zero so that Kubernetes restarts the pod.
 */
class OperatorProcessApiServerTest {
    private static final Duration START = Duration.ofSeconds(90);
    private final List<OperatorProcess> operators = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (OperatorProcess operator : operators) {
            operator.kill();
        }
    }

    @Test
    void servesHealthAndMetricsAndOnlyTheLeaderIsReady() throws Exception {
        KubernetesClient client = ApiServer.client();
        ApiServer.installMeshCrd();
        String leaseNamespace = namespace(client, "operator-probes");
        OperatorProcess leader = start(ApiServer.kubeconfigFile(), leaseNamespace, "probes-1");
        assertThat(leader.awaitStatus("/q/health/ready", 200, START).body()).contains("leading");
        assertThat(leader.get("/q/health/live").orElseThrow().statusCode()).isEqualTo(200);
        String metrics = leader.get("/q/metrics").orElseThrow().body();
        assertThat(metrics).contains("operator_sdk_reconciliations_queue_size_meshcontrolplane", "jvm_memory_used_bytes");

        OperatorProcess standby = start(ApiServer.kubeconfigFile(), leaseNamespace, "probes-2");
        assertThat(standby.awaitStatus("/q/health/live", 200, START).body()).contains("running");
        HttpResponse<String> notReady = standby.get("/q/health/ready").orElseThrow();
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("waiting to lead");

        leader.kill(); // the standby takes the lease once the dead leader's expires
        assertThat(standby.awaitStatus("/q/health/ready", 200, START).body()).contains("leading");
    }

    @Test
    void aStartThatCannotListExitsNonZero() throws Exception {
        KubernetesClient client = ApiServer.client();
        ApiServer.installMeshCrd();
        // The real apiserver, as a user it does not know: every list is refused.
        Path kubeconfig = Files.createTempFile("unknown-user-", ".kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: test, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: nobody, user: {token: not-a-token}}]
                contexts: [{name: test, context: {cluster: test, user: nobody}}]
                current-context: test
                """.formatted(client.getConfiguration().getMasterUrl()));
        OperatorProcess operator = start(kubeconfig, "default", "cannot-list");
        assertThat(operator.exitCode(START)).as("exit code; see " + operator.log()).contains(1);
        assertThat(Files.readString(operator.log())).contains("the operator could not start, exiting with code 1");
    }

    private OperatorProcess start(Path kubeconfig, String leaseNamespace, String identity) throws IOException {
        OperatorProcess operator = OperatorProcess.start(OperatorProcess.command(OperatorProcess.fastJar(ClusterProvider.repositoryRoot())),
                kubeconfig, leaseNamespace, identity, Path.of("target/" + identity + ".log"));
        operators.add(operator);
        return operator;
    }

    private static String namespace(KubernetesClient client, String name) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).serverSideApply();
        return name;
    }
}
