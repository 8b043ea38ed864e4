package dev.windlass.discovery.inject;

import dev.windlass.contract.MeshIdentity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the ConfigMap {@code windlass-ca-root-cert} (key {@code root-cert.pem}, the CA's certificate) in the
 * discovery server's namespace, for the gateways there (Istio's istio-ca-root-cert): written at start, rewritten
 * when it is changed or deleted; a failed write is tried again 30 s later. It carries no
 * {@code app.kubernetes.io} labels, like the CA Secret: it is not in the operator's rendering, which would prune it.
 */
final class CaRootPublisher implements ResourceEventHandler<ConfigMap>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaRootPublisher.class);
    private static final long RESYNC_MILLIS = 30_000;

    private final KubernetesClient client;
    private final String namespace;
    private final String rootPem;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ca-root-publisher").daemon().factory());
    private SharedIndexInformer<ConfigMap> informer;
    private ScheduledFuture<?> retry;

    CaRootPublisher(KubernetesClient client, String namespace, String rootPem) {
        this.client = client;
        this.namespace = namespace;
        this.rootPem = rootPem;
    }

    CaRootPublisher start() {
        write();
        informer = client.configMaps().inNamespace(namespace).withName(MeshIdentity.ROOT_CERT_CONFIGMAP).inform(this, RESYNC_MILLIS);
        return this;
    }

    @Override
    public void onAdd(ConfigMap configMap) {
        ensure(configMap);
    }

    @Override
    public void onUpdate(ConfigMap oldConfigMap, ConfigMap configMap) {
        ensure(configMap);
    }

    @Override
    public void onDelete(ConfigMap configMap, boolean deletedFinalStateUnknown) {
        write();
    }

    private void ensure(ConfigMap configMap) {
        Map<String, String> data = configMap.getData();
        if (data == null || !Objects.equals(rootPem, data.get(MeshIdentity.ROOT_CERT_KEY))) {
            write();
        }
    }

    private synchronized void write() {
        ConfigMap root = new ConfigMapBuilder().withNewMetadata().withName(MeshIdentity.ROOT_CERT_CONFIGMAP)
                .withNamespace(namespace).endMetadata().addToData(MeshIdentity.ROOT_CERT_KEY, rootPem).build();
        try {
            // create, else update: the verbs the discovery server's Role grants on ConfigMaps (no patch, so no apply)
            client.resource(root).createOr(NonDeletingOperation::update);
            LOG.info("wrote the CA certificate into ConfigMap {}/{}", namespace, MeshIdentity.ROOT_CERT_CONFIGMAP);
        } catch (KubernetesClientException e) {
            LOG.warn("cannot write ConfigMap {}/{} (retrying in {} s): {}", namespace, MeshIdentity.ROOT_CERT_CONFIGMAP,
                    RESYNC_MILLIS / 1000, e.getMessage());
            if ((retry == null || retry.isDone()) && !retries.isShutdown()) { // one pending retry, however many failures
                retry = retries.schedule(this::write, RESYNC_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
        if (informer != null) {
            informer.close();
        }
    }
}
