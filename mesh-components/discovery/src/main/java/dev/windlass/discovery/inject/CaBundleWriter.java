package dev.windlass.discovery.inject;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Writes our CA into the {@code clientConfig.caBundle} of every webhook of one webhook configuration (the
 * injector's MutatingWebhookConfiguration, the traffic API's ValidatingWebhookConfiguration), by server-side apply
 * with field manager {@code windlass-discovery}: the apply names only the webhooks and that one field, so the
 * operator keeps owning everything else and we own just the caBundle (the operator leaves it out of its own
 * apply). An informer on that one object does the waiting: nothing happens until the operator creates it, a
 * re-created or changed object is fixed at once, and the resync retries a failed write.
 */
final class CaBundleWriter<T extends HasMetadata> implements ResourceEventHandler<T>, AutoCloseable {
    static final String FIELD_MANAGER = "windlass-discovery";
    private static final long RESYNC_MILLIS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(CaBundleWriter.class);

    /** A webhook of the configuration: its name (the list key) and client config. */
    private record Webhook(String name, WebhookClientConfig clientConfig) {
    }

    private final KubernetesClient client;
    private final String kind;
    private final String name;
    private volatile String caBundle;
    private final Informable<T> object;
    private final Function<T, List<Webhook>> webhooks;
    private SharedIndexInformer<T> informer;

    private CaBundleWriter(KubernetesClient client, String kind, String name, String caPem, Informable<T> object,
                           Function<T, List<Webhook>> webhooks) {
        this.client = client;
        this.kind = kind;
        this.name = name;
        this.caBundle = base64(caPem);
        this.object = object;
        this.webhooks = webhooks;
    }

    static CaBundleWriter<MutatingWebhookConfiguration> mutating(KubernetesClient client, String name, String caPem) {
        return new CaBundleWriter<>(client, "MutatingWebhookConfiguration", name, caPem,
                client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name),
                c -> c.getWebhooks() == null ? List.of()
                        : c.getWebhooks().stream().map(w -> new Webhook(w.getName(), w.getClientConfig())).toList());
    }

    static CaBundleWriter<ValidatingWebhookConfiguration> validating(KubernetesClient client, String name, String caPem) {
        return new CaBundleWriter<>(client, "ValidatingWebhookConfiguration", name, caPem,
                client.admissionRegistration().v1().validatingWebhookConfigurations().withName(name),
                c -> c.getWebhooks() == null ? List.of()
                        : c.getWebhooks().stream().map(w -> new Webhook(w.getName(), w.getClientConfig())).toList());
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    /** A new trust bundle (the plugged-in CA changed): written at once, before the serving certificate changes. */
    void publish(String bundlePem) {
        caBundle = base64(bundlePem);
        informer.getStore().list().forEach(this::ensure);
    }

    CaBundleWriter<T> start() {
        informer = object.inform(this, RESYNC_MILLIS);
        return this;
    }

    @Override
    public void onAdd(T config) {
        ensure(config);
    }

    @Override
    public void onUpdate(T oldConfig, T newConfig) {
        ensure(newConfig);
    }

    @Override
    public void onDelete(T config, boolean deletedFinalStateUnknown) {
        LOG.info("{} {} deleted; its caBundle will be written when it is back", kind, name);
    }

    private void ensure(T config) {
        List<Webhook> hooks = webhooks.apply(config);
        if (hooks.stream().allMatch(w -> w.clientConfig() != null && Objects.equals(caBundle, w.clientConfig().getCaBundle()))) {
            return;
        }
        try {
            client.resource(applyConfiguration(hooks)).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            LOG.info("wrote the caBundle of {} webhook(s) in {} {}", hooks.size(), kind, name);
        } catch (KubernetesClientException e) {
            LOG.warn("cannot write the caBundle of {} {} (retrying within {} s): {}", kind, name, RESYNC_MILLIS / 1000,
                    e.getMessage());
        }
    }

    /** Only the list keys and the caBundle: what this field manager owns. A typed object would add empty lists. */
    private GenericKubernetesResource applyConfiguration(List<Webhook> hooks) {
        GenericKubernetesResource apply = new GenericKubernetesResource();
        apply.setApiVersion("admissionregistration.k8s.io/v1");
        apply.setKind(kind);
        apply.setMetadata(new ObjectMetaBuilder().withName(name).build());
        apply.setAdditionalProperty("webhooks", hooks.stream()
                .map(w -> Map.of("name", w.name(), "clientConfig", Map.of("caBundle", caBundle))).toList());
        return apply;
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
