package dev.windlass.cli;

import dev.windlass.testsupport.ApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Tier 2: windlass analyze reads a real apiserver's Services, Pods, VirtualServices, DestinationRules and Gateways. */
class AnalyzeApiServerTest {
    private static Path kubeconfig;
    private static String ns;

    @BeforeAll
    static void reviewsWithAMissingSubsetAndARouteToNowhere() throws Exception {
        kubeconfig = ApiServer.kubeconfigFile();
        ns = reviewsNamespace("analyze-");
    }

    /**
     * A new namespace on the shared apiserver: a reviews Service, a reviews-v4 Pod, a VirtualService to the subset v4
     * that no DestinationRule defines, and one to a host that does not exist. Also used by RootNamespaceApiServerTest.
     */
    static String reviewsNamespace(String prefix) {
        KubernetesClient client = ApiServer.client();
        ApiServer.installIstioCrds();
        String ns = prefix + UUID.randomUUID().toString().substring(0, 8);
        apply(client, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: %1$s}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: reviews, namespace: %1$s}
                spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: reviews-v4, namespace: %1$s, labels: {app: reviews, version: v4}}
                spec: {containers: [{name: app, image: reviews:1}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: %1$s}
                spec:
                  hosts: [reviews]
                  http: [{route: [{destination: {host: reviews, subset: v4}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ratings, namespace: %1$s}
                spec:
                  hosts: [ratings]
                  http: [{route: [{destination: {host: ratings}}]}]
                """.formatted(ns));
        return ns;
    }

    @Test
    void aMissingSubsetAndAMissingHostAreReportedWithExit79() {
        WindlassCliTest.Result result = WindlassCliTest.run("analyze", "-n", ns, "--kubeconfig", kubeconfig.toString());
        assertThat(result.code()).as(result.err()).isEqualTo(79);
        assertThat(result.out()).isEqualTo("""
                Error [IST0101] (VirtualService %1$s/ratings) Referenced host not found: "ratings"
                Error [IST0101] (VirtualService %1$s/reviews) Referenced host+subset in destinationrule not found: "reviews+v4"
                """.formatted(ns));
        assertThat(result.err()).startsWith("Error: Analyzers found issues when analyzing namespace: " + ns + ".\n");
    }

    @Test
    void aFileAddsToTheClusterAndOverridesItsResources(@TempDir Path dir) throws Exception {
        Path fix = Files.writeString(dir.resolve("fix.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec: {host: reviews, subsets: [{name: v4, labels: {version: v4}}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ratings}
                spec: {hosts: [ratings], http: [{route: [{destination: {host: reviews}}]}]}
                """);
        WindlassCliTest.Result result = WindlassCliTest.run("analyze", "-n", ns, "--kubeconfig", kubeconfig.toString(), fix.toString());
        assertThat(result.code()).as(result.out() + result.err()).isZero();
        assertThat(result.err()).isEqualTo("✔ No validation issues found when analyzing " + fix + ".\n");
        assertThat(WindlassCliTest.run("analyze", "-n", "no-such-" + ns, "--kubeconfig", kubeconfig.toString()).err())
                .isEqualTo("windlass: --namespace: namespace \"no-such-" + ns + "\" not found\n");
    }

    @Test
    void aGatewaySelectingNoPodAndAVirtualServiceBoundToAMissingGatewayAreReported(@TempDir Path dir) throws Exception {
        Path edge = Files.writeString(dir.resolve("edge.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: edge}
                spec: {selector: {app: ghost-gw}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: front}
                spec: {hosts: ["*"], gateways: [edge, missing-gateway], http: [{route: [{destination: {host: reviews}}]}]}
                """);
        WindlassCliTest.Result result = WindlassCliTest.run("analyze", "-n", ns, "--kubeconfig", kubeconfig.toString(), edge.toString());
        assertThat(result.code()).as(result.err()).isEqualTo(79);
        assertThat(result.out())
                .contains("Error [IST0101] (Gateway " + ns + "/edge " + edge + ":4) Referenced selector not found: \"app=ghost-gw\"")
                .contains("Error [IST0101] (VirtualService " + ns + "/front " + edge + ":9) Referenced gateway not found: \"missing-gateway\"")
                .contains("Warning [IST0132] (VirtualService " + ns + "/front " + edge + ":9) one or more host [*] defined in "
                        + "VirtualService " + ns + "/front not found in Gateway " + ns + "/missing-gateway.");
    }

    private static void apply(KubernetesClient client, String yaml) {
        for (String doc : yaml.split("(?m)^---$")) {
            HasMetadata object = Serialization.unmarshal(doc, GenericKubernetesResource.class);
            client.resource(object).serverSideApply();
        }
    }
}
