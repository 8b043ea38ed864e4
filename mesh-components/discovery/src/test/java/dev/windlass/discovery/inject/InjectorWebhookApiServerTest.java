package dev.windlass.discovery.inject;

import dev.windlass.discovery.DiscoveryConfig;
import dev.windlass.discovery.ca.CaSecret;
import dev.windlass.discovery.ca.Pem;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.testsupport.ApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tier 2, against a real kube-apiserver and etcd: the CA Secret, the caBundle, and the apiserver itself calling
 * the webhook (a url clientConfig to 127.0.0.1) and storing the injected pod.
 */
class InjectorWebhookApiServerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private KubernetesClient kube;
    private String mesh;
    private final List<String> namespaces = new ArrayList<>();
    private final List<InjectorWebhook> webhooks = new ArrayList<>();
    private DiscoveryConfig config;

    @BeforeEach
    void setUp() {
        kube = ApiServer.client();
        mesh = namespace(Map.of());
        kube.configMaps().inNamespace(mesh).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("windlass-sidecar-injector").endMetadata().withData(InjectFixtures.CONFIG_MAP_DATA).build()).create();
        config = new DiscoveryConfig("127.0.0.1", 0, 0, 0, mesh, "", Duration.ofMillis(50), Duration.ofSeconds(2), 0, "");
    }

    @AfterEach
    void tearDown() {
        webhooks.forEach(InjectorWebhook::close);
        if (kube != null) {
            kube.admissionRegistration().v1().mutatingWebhookConfigurations().withName(config.webhookConfigurationName()).delete();
            namespaces.forEach(ns -> kube.namespaces().withName(ns).delete());
        }
    }

    @Test
    void theCaSecretIsCreatedOnceAndReusedAcrossRestarts() throws Exception {
        InjectorWebhook first = start();
        Secret created = kube.secrets().inNamespace(mesh).withName(CaSecret.NAME).get();
        assertThat(created).isNotNull();
        first.close();
        InjectorWebhook second = start();
        assertThat(second.ca().certificate()).isEqualTo(first.ca().certificate());
        assertThat(kube.secrets().inNamespace(mesh).withName(CaSecret.NAME).get().getMetadata().getResourceVersion())
                .isEqualTo(created.getMetadata().getResourceVersion());
    }

    @Test
    void theCaBundleIsWrittenIntoTheWebhookConfigurationOnceItExists() throws Exception {
        InjectorWebhook webhook = start(); // before the configuration exists: the writer waits for it
        WebhookClientConfig service = new WebhookClientConfigBuilder().withNewService().withName("windlass-discovery")
                .withNamespace(mesh).withPath("/inject").withPort(443).endService().build();
        kube.resource(configuration(service, "Ignore", "never-" + mesh)).create();
        MutatingWebhookConfiguration written = await(() -> withCaBundle(caBundle(webhook)));
        assertThat(written.getWebhooks()).hasSize(2).allSatisfy(w -> {
            assertThat(w.getFailurePolicy()).isEqualTo("Ignore");
            assertThat(w.getClientConfig().getService().getName()).isEqualTo("windlass-discovery");
        });
        assertThat(written.getMetadata().getManagedFields())
                .anySatisfy(f -> assertThat(f.getManager()).isEqualTo(CaBundleWriter.FIELD_MANAGER));
    }

    @Test
    void theApiServerCallsTheWebhookAndStoresTheInjectedPod() throws Exception {
        InjectorWebhook webhook = start();
        String app = namespace(Map.of("windlass-injection", "enabled"));
        WebhookClientConfig url = new WebhookClientConfigBuilder()
                .withUrl("https://127.0.0.1:" + webhook.port() + "/inject").build();
        kube.resource(configuration(url, "Fail", app)).create();
        await(() -> withCaBundle(caBundle(webhook)));

        // The apiserver picks up webhook configuration changes a moment later; until then the call fails TLS.
        Pod injected = await(() -> createPod(app, "web", Map.of()));
        assertThat(injected.getSpec().getContainers()).extracting(Container::getName).containsExactly("app", "windlass-proxy");
        assertThat(injected.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("windlass-init");
        assertThat(injected.getMetadata().getLabels()).containsEntry("security.windlass.dev/tlsMode", "windlass");
        assertThat(injected.getMetadata().getAnnotations()).containsKey("sidecar.windlass.dev/status");

        assertThat(injected.getSpec().getVolumes()).as("the CA root the sidecar trusts for 15012, kept in every namespace")
                .anySatisfy(v -> assertThat(v.getConfigMap()).extracting("name").isEqualTo("windlass-ca-root-cert-windlass-system"));

        Pod optedOut = createPod(app, "batch", Map.of("sidecar.windlass.dev/inject", "false"));
        assertThat(optedOut.getSpec().getContainers()).extracting(Container::getName).containsExactly("app");
        Pod stored = kube.pods().inNamespace(app).withName("web").get();
        assertThat(stored.getSpec().getContainers()).extracting(Container::getName).contains("windlass-proxy");
    }

    /**
     * The proxies' copy of the CA certificate: in the mesh namespace at once; in every other namespace once the
     * injector's webhook configuration exists, which owns it there (uninstalling the mesh collects it); written
     * again when someone deletes or changes it.
     */
    @Test
    void theCaCertificateIsPublishedInEveryNamespaceOwnedByTheWebhookConfigurationAndRestored() throws Exception {
        InjectorWebhook webhook = start();
        String pem = Pem.write(webhook.ca().certificate());
        var root = kube.configMaps().inNamespace(mesh).withName("windlass-ca-root-cert-" + mesh);
        assertThat(await(() -> root.get())).satisfies(cm -> assertThat(cm.getData()).containsEntry("root-cert.pem", pem));
        String app = namespace(Map.of());
        var appRoot = kube.configMaps().inNamespace(app).withName("windlass-ca-root-cert-" + mesh);
        Thread.sleep(1000);
        assertThat(appRoot.get()).as("no owner yet, so no copy that could outlive the mesh").isNull();

        MutatingWebhookConfiguration owner = kube.resource(configuration(new WebhookClientConfigBuilder()
                .withUrl("https://127.0.0.1:1/inject").build(), "Ignore", "never-" + mesh)).create();
        String later = namespace(Map.of());
        var laterRoot = kube.configMaps().inNamespace(later).withName("windlass-ca-root-cert-" + mesh);
        assertThat(await(() -> laterRoot.get())).as("a namespace created after the owner")
                .satisfies(cm -> assertThat(cm.getData()).containsEntry("root-cert.pem", pem));
        assertThat(laterRoot.get().getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("MutatingWebhookConfiguration");
            assertThat(o.getUid()).isEqualTo(owner.getMetadata().getUid());
        });
        // the earlier namespace as soon as the owner appears
        assertThat(await(() -> appRoot.get())).isNotNull();

        root.delete();
        assertThat(await(() -> root.get())).satisfies(cm -> assertThat(cm.getData()).containsEntry("root-cert.pem", pem));
        laterRoot.edit(cm -> {
            cm.getData().put("root-cert.pem", "tampered");
            return cm;
        });
        assertThat(await(() -> pem.equals(laterRoot.get().getData().get("root-cert.pem")) ? laterRoot.get() : null)).isNotNull();
        assertThat(kube.configMaps().inNamespace("kube-system").withName("windlass-ca-root-cert-" + mesh).get()).isNull();
    }

    private InjectorWebhook start() throws Exception {
        InjectorWebhook webhook = InjectorWebhook.start(kube, config, ns -> Optional.empty(), new Metrics(), List.of("127.0.0.1"));
        webhooks.add(webhook);
        return webhook;
    }

    private Pod createPod(String ns, String name, Map<String, String> annotations) {
        try {
            return kube.pods().inNamespace(ns).resource(InjectFixtures.pod(name, annotations)).create();
        } catch (KubernetesClientException e) {
            return null;
        }
    }

    private MutatingWebhookConfiguration withCaBundle(String caBundle) {
        MutatingWebhookConfiguration c = kube.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(config.webhookConfigurationName()).get();
        return c != null && c.getWebhooks().stream().allMatch(w -> caBundle.equals(w.getClientConfig().getCaBundle())) ? c : null;
    }

    private static String caBundle(InjectorWebhook webhook) {
        return Base64.getEncoder().encodeToString(Pem.write(webhook.ca().certificate()).getBytes(StandardCharsets.UTF_8));
    }

    /** Two webhooks, as the operator renders, for pods in the namespace {@code only} (the apiserver is shared). */
    private MutatingWebhookConfiguration configuration(WebhookClientConfig client, String failurePolicy, String only) {
        List<MutatingWebhook> hooks = new ArrayList<>();
        for (String name : List.of("namespace.sidecar-injector.windlass.dev", "object.sidecar-injector.windlass.dev")) {
            hooks.add(new MutatingWebhookBuilder().withName(name).withClientConfig(client)
                    .addNewRule().withApiGroups("").withApiVersions("v1").withResources("pods").withOperations("CREATE").endRule()
                    .withNewNamespaceSelector().withMatchExpressions(
                            new LabelSelectorRequirement("kubernetes.io/metadata.name", "In", List.of(only))).endNamespaceSelector()
                    .withFailurePolicy(failurePolicy).withSideEffects("None").withAdmissionReviewVersions("v1")
                    .withReinvocationPolicy("Never").withTimeoutSeconds(10).build());
        }
        // Only one of the two may match a pod, or it would be injected twice; the object webhook matches nothing.
        hooks.get(1).setObjectSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                .addToMatchLabels("never", "matches").build());
        return new MutatingWebhookConfigurationBuilder().withNewMetadata().withName(config.webhookConfigurationName())
                .endMetadata().withWebhooks(hooks).build();
    }

    private String namespace(Map<String, String> labels) {
        String name = "inj-" + UUID.randomUUID().toString().substring(0, 8);
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
        namespaces.add(name);
        return name;
    }

    private static <T> T await(Supplier<T> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + WAIT);
    }
}
