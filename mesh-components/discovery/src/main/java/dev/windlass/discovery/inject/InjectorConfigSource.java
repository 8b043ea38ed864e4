package dev.windlass.discovery.inject;

import dev.windlass.injector.InjectorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The injector ConfigMap ({@code windlass-sidecar-injector[-<rev>]}) through an informer, so that a new template
 * applies to the next pod without a restart. A ConfigMap that cannot be read keeps the last good config (as the
 * mesh config does); a deleted one leaves none, and pods are then let through without a sidecar.
 */
final class InjectorConfigSource implements ResourceEventHandler<ConfigMap>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InjectorConfigSource.class);
    private final AtomicReference<InjectorConfig> current = new AtomicReference<>();
    private final String namespace;
    private final String name;
    private SharedIndexInformer<ConfigMap> informer;

    InjectorConfigSource(String namespace, String name) {
        this.namespace = namespace;
        this.name = name;
    }

    /** Starts the informer and returns once its first list is in. */
    InjectorConfigSource start(KubernetesClient client) {
        informer = client.configMaps().inNamespace(namespace).withName(name).inform(this);
        return this;
    }

    Optional<InjectorConfig> current() {
        return Optional.ofNullable(current.get());
    }

    String describe() {
        return namespace + "/" + name;
    }

    @Override
    public void onAdd(ConfigMap cm) {
        update(cm);
    }

    @Override
    public void onUpdate(ConfigMap oldCm, ConfigMap newCm) {
        update(newCm);
    }

    @Override
    public void onDelete(ConfigMap cm, boolean deletedFinalStateUnknown) {
        LOG.warn("injector config {} deleted: pods are let through without a sidecar until it is back", describe());
        current.set(null);
    }

    void update(ConfigMap cm) {
        try {
            InjectorConfig parsed = InjectorConfig.parse(cm.getData());
            current.set(parsed);
            LOG.info("injector config {}: revision {}, version {}", describe(), parsed.revision(), parsed.values().version());
        } catch (IllegalArgumentException e) {
            LOG.error("injector config {}: {}; keeping the previous config", describe(), e.getMessage());
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
