package dev.windlass.e2e.routing;

import dev.windlass.e2e.MeshInstall;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.TestCluster;
import dev.windlass.operator.install.DeploymentRollout;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Applications in mesh namespaces, as a user drives them with kubectl: namespaces labelled for injection, YAML
 * files applied unchanged, Deployments awaited, and the samples' load client run with {@code kubectl exec} in a
 * mesh pod, so that its requests go through that pod's sidecar.
 */
public final class MeshApps {
    private final KubernetesClient client;

    public MeshApps(KubernetesClient client) {
        this.client = client;
    }

    /** The demo profile without its add-ons, which routing does not need and which take a minute to start. */
    public static void installDemoMesh(TestCluster cluster, String name) throws IOException, InterruptedException {
        MeshInstall.installDemo(cluster, name);
    }

    public void injectedNamespace(String name) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("windlass-injection", "enabled")).endMetadata().build()).serverSideApply();
    }

    /** Applies every document of a file under the repository root, unchanged, into {@code namespace}. */
    public List<HasMetadata> apply(String namespace, String repositoryPath) throws IOException {
        return applyYaml(namespace, Files.readString(ClusterProvider.repositoryRoot().resolve(repositoryPath)));
    }

    /**
     * The httpbin sample's load-client Deployment alone (a mesh pod to exec the load client in), as
     * {@code kubectl apply -f samples/httpbin/httpbin.yaml -l app=load-client} adds it to a namespace.
     */
    public List<HasMetadata> applyLoadClient(String namespace) throws IOException {
        String yaml = Files.readString(ClusterProvider.repositoryRoot().resolve("samples/httpbin/httpbin.yaml"));
        return applyYaml(namespace, yaml.substring(yaml.indexOf("# Serves nothing")));
    }

    public List<HasMetadata> applyYaml(String namespace, String yaml) {
        List<HasMetadata> applied = new ArrayList<>();
        for (HasMetadata object : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
            applied.add(client.resource(object).inNamespace(namespace).fieldManager("kubectl").forceConflicts().serverSideApply());
        }
        return applied;
    }

    /** An Istio resource as {@code kubectl apply} creates or replaces it (the webhook sees each write). */
    public void applyIstio(String namespace, String yaml) {
        for (HasMetadata object : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
            GenericKubernetesResource resource = (GenericKubernetesResource) object;
            client.genericKubernetesResources(resource.getApiVersion(), resource.getKind()).inNamespace(namespace)
                    .resource(resource).fieldManager("kubectl").forceConflicts().serverSideApply();
        }
    }

    public void awaitDeployments(String namespace) {
        for (Deployment deployment : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            client.resource(deployment).waitUntilCondition(MeshApps::available, 5, TimeUnit.MINUTES);
        }
    }

    static boolean available(Deployment d) {
        return d != null && d.getStatus() != null && d.getStatus().getConditions() != null
                && d.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Available") && c.getStatus().equals("True"));
    }

    public Pod pod(String namespace, String app) {
        return pod(namespace, Map.of("app", app));
    }

    public Pod pod(String namespace, String app, String version) {
        return pod(namespace, Map.of("app", app, "version", version));
    }

    private Pod pod(String namespace, Map<String, String> labels) {
        return client.pods().inNamespace(namespace).withLabels(labels).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst()
                .orElseThrow(() -> new AssertionError("no pod with " + labels + " in " + namespace));
    }

    /** A page of a pod's sidecar admin port (127.0.0.1:15000 in the pod), through a port-forward. */
    public String admin(String namespace, Pod pod, String path) throws IOException, InterruptedException {
        try (LocalPortForward forward = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName())
                .portForward(15000)) {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + forward.getLocalPort() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /** Sets an env var on a one-replica Deployment's first container and waits for its new pod to be available. */
    void setEnvAndAwaitRollout(String namespace, String deployment, String name, String value) {
        long generation = client.apps().deployments().inNamespace(namespace).withName(deployment).edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().add(new EnvVar(name, value, null));
            return d;
        }).getMetadata().getGeneration();
        // DeploymentRollout checks observedGeneration: until the controller has seen the edit, the old status reads as rolled out.
        client.apps().deployments().inNamespace(namespace).withName(deployment).waitUntilCondition(d ->
                DeploymentRollout.complete(d) && d.getStatus().getObservedGeneration() >= generation, 3, TimeUnit.MINUTES);
    }

    public record Exec(int code, String out, String err) {
    }

    /** {@code kubectl exec POD -c CONTAINER -- /opt/java/bin/java @/app/load ARGS...} in the pod of {@code app}. */
    public Exec load(String namespace, String app, String... args) throws Exception {
        Pod pod = pod(namespace, app);
        List<String> command = new ArrayList<>(List.of("/opt/java/bin/java", "@/app/load"));
        command.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName())
                .inContainer(pod.getSpec().getContainers().getFirst().getName())
                .writingOutput(out).writingError(err).exec(command.toArray(String[]::new))) {
            int code = watch.exitCode().get(5, TimeUnit.MINUTES);
            return new Exec(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    public static String resource(String name) throws IOException {
        try (var in = MeshApps.class.getResourceAsStream("/istio-tasks/" + name)) {
            if (in == null) {
                throw new IOException("no test resource istio-tasks/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static String seed(String name) throws IOException {
        return Files.readString(seedPath(name));
    }

    public static Path seedPath(String name) {
        return ClusterProvider.repositoryRoot().resolve("samples/istio-seeds").resolve(name);
    }
}
