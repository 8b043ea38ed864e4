package dev.windlass.discovery.inject;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes our CA into the {@code clientConfig.caBundle} of every webhook of the injector's
 * MutatingWebhookConfiguration, by server-side apply with field manager {@code windlass-discovery}: the apply
 * names only the webhooks and that one field, so the operator keeps owning everything else and we own just the
 * caBundle (the operator leaves it out of its own apply). An informer on that one object does the waiting:
 * nothing happens until the operator creates it, a re-created or changed object is fixed at once, and the
 * resync retries a failed write.
 */
final class CaBundleWriter implements ResourceEventHandler<MutatingWebhookConfiguration>, AutoCloseable {
    static final String FIELD_MANAGER = "windlass-discovery";
    private static final long RESYNC_MILLIS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(CaBundleWriter.class);
    private final KubernetesClient client;
    private final String name;
    private final String caBundle;
    private SharedIndexInformer<MutatingWebhookConfiguration> informer;

    CaBundleWriter(KubernetesClient client, String name, String caPem) {
        this.client = client;
        this.name = name;
        this.caBundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
    }

    CaBundleWriter start() {
        informer = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name)
                .inform(this, RESYNC_MILLIS);
        return this;
    }

    @Override
    public void onAdd(MutatingWebhookConfiguration config) {
        ensure(config);
    }

    @Override
    public void onUpdate(MutatingWebhookConfiguration oldConfig, MutatingWebhookConfiguration newConfig) {
        ensure(newConfig);
    }

    @Override
    public void onDelete(MutatingWebhookConfiguration config, boolean deletedFinalStateUnknown) {
        LOG.info("webhook configuration {} deleted; its caBundle will be written when it is back", name);
    }

    private void ensure(MutatingWebhookConfiguration config) {
        List<MutatingWebhook> webhooks = config.getWebhooks() == null ? List.of() : config.getWebhooks();
        if (webhooks.stream().allMatch(w -> w.getClientConfig() != null
                && Objects.equals(caBundle, w.getClientConfig().getCaBundle()))) {
            return;
        }
        try {
            client.resource(applyConfiguration(webhooks)).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            LOG.info("wrote the caBundle of {} webhook(s) in {}", webhooks.size(), name);
        } catch (KubernetesClientException e) {
            LOG.warn("cannot write the caBundle of {} (retrying within {} s): {}", name, RESYNC_MILLIS / 1000, e.getMessage());
        }
    }

    /** Only the list keys and the caBundle: what this field manager owns. A typed object would add empty lists. */
    private GenericKubernetesResource applyConfiguration(List<MutatingWebhook> webhooks) {
        GenericKubernetesResource apply = new GenericKubernetesResource();
        apply.setApiVersion("admissionregistration.k8s.io/v1");
        apply.setKind("MutatingWebhookConfiguration");
        apply.setMetadata(new ObjectMetaBuilder().withName(name).build());
        apply.setAdditionalProperty("webhooks", webhooks.stream()
                .map(w -> Map.of("name", w.getName(), "clientConfig", Map.of("caBundle", caBundle))).toList());
        return apply;
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
