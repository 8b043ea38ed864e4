package dev.windlass.testsupport;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.windlass.api.crd.MeshCrds;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.profiles.render.MeshRenderer;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.KubeAPITestException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real kube-apiserver and etcd for tier-2 tests, started once per test JVM through fabric8 kube-api-test,
 * from the binaries that {@code test-e2e/cluster/cluster build} lays out. It never downloads anything.
 * It has no controllers: no garbage collection and no Deployment status.
 */
public final class ApiServer {
    private static final java.util.Set<String> ISTIO_GROUPS = java.util.Set.of("networking.istio.io", "security.istio.io");
    private static KubernetesClient client;
    private static String kubeconfig;

    private ApiServer() {
    }

    /** A client for the shared apiserver; skips the calling test, saying why, when the binaries are missing. */
    public static synchronized KubernetesClient client() {
        if (client == null) {
            Path root = Path.of(System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest"));
            assumeTrue(hasBinaries(root), "no kube-apiserver/etcd under " + root + "/k8s; run test-e2e/cluster/cluster build");
            KubeAPIServer server = start(root);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
            kubeconfig = server.getKubeConfigYaml();
            client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
        }
        return client;
    }

    /**
     * Starts etcd and the apiserver, a second time when the first start fails (seen once in CI: "did not start
     * properly" within 2 s, then fine); the failed pair is stopped, never left running.
     */
    private static KubeAPIServer start(Path root) {
        KubeAPITestException failure = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withTestDir(root.toString()).withOfflineMode(true).withUpdateKubeConfig(false).build());
            try {
                server.start();
                return server;
            } catch (KubeAPITestException e) {
                failure = e;
                stopQuietly(server);
            }
        }
        throw failure;
    }

    private static void stopQuietly(KubeAPIServer server) {
        try {
            server.stop();
        } catch (RuntimeException ignored) {
            // nothing more to do for a pair that never started
        }
    }

    /** A kubeconfig file for the shared apiserver, for processes the test starts (such as the operator). */
    public static Path kubeconfigFile() throws IOException {
        client();
        Path file = Files.createTempFile("kubeapitest-", ".kubeconfig");
        file.toFile().deleteOnExit();
        return Files.writeString(file, kubeconfig);
    }

    /** Applies the generated CRDs (MeshControlPlane, MeshRevision, MeshRevisionTag) and waits until the apiserver serves them. */
    public static void installMeshCrd() {
        install(MeshCrds.all());
    }

    /**
     * Applies Istio's traffic API CRDs (networking.istio.io, with their status subresource) as the operator
     * renders them for a default mesh, and waits until the apiserver serves them.
     */
    public static void installIstioCrds() {
        var values = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn())
                .resolve(new ValuesLayer("test", JsonNodeFactory.instance.objectNode()), List.of(), Optional.empty());
        install(new MeshRenderer(VersionCatalog.builtIn()).render("windlass", values.spec(), "default", false).stream()
                .filter(CustomResourceDefinition.class::isInstance).map(CustomResourceDefinition.class::cast)
                .filter(crd -> ISTIO_GROUPS.contains(crd.getSpec().getGroup())).toList());
    }

    private static void install(List<CustomResourceDefinition> definitions) {
        for (CustomResourceDefinition definition : definitions) {
            CustomResourceDefinition crd = client().resource(definition).serverSideApply();
            client().resource(crd).waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                    && c.getStatus().getConditions().stream()
                    .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")), 30, TimeUnit.SECONDS);
        }
    }

    private static boolean hasBinaries(Path root) {
        try (Stream<Path> versions = Files.list(root.resolve("k8s"))) {
            return versions.anyMatch(v -> Files.isExecutable(v.resolve("kube-apiserver")) && Files.isExecutable(v.resolve("etcd")));
        } catch (IOException e) {
            return false;
        }
    }
}
