package dev.windlass.discovery.inject;

import dev.windlass.contract.MeshIdentity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the ConfigMap {@code windlass-ca-root-cert-<mesh namespace>} (key {@code root-cert.pem}, the CA's certificate) in every
 * namespace but Kubernetes' own, as Istio's namespace controller keeps istio-ca-root-cert: every sidecar and gateway
 * mounts it to check the discovery server's TLS port (15012), the only xDS port by default. Written when a
 * namespace appears, rewritten when the copy is changed or deleted; the informers' resync (30 s) retries a failed
 * write.
 * <p>
 * Outside the discovery server's namespace each copy is owned by the injector's MutatingWebhookConfiguration, which
 * the MeshControlPlane owns: uninstalling the mesh lets garbage collection remove every copy. Without that owner
 * nothing is written there, so no copy outlives the mesh; its arrival serves every namespace at once. It carries
 * no {@code app.kubernetes.io} labels, like the CA Secret: it is not in the operator's rendering, which would
 * prune it.
 */
final class CaRootPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaRootPublisher.class);
    private static final long RESYNC_MILLIS = 30_000;
    /** Kubernetes' own namespaces, where Istio writes no root either: no mesh workload runs there. */
    static final Set<String> SKIPPED = Set.of("kube-system", "kube-public", "kube-node-lease", "local-path-storage");

    private final KubernetesClient client;
    private final String meshNamespace;
    private volatile String rootPem;
    private final String ownerName;
    private final String name;
    private SharedIndexInformer<ConfigMap> copies;
    private SharedIndexInformer<Namespace> namespaces;
    private SharedIndexInformer<MutatingWebhookConfiguration> owners;

    /** @param ownerName the injector's MutatingWebhookConfiguration, owner of the copies outside the mesh namespace */
    CaRootPublisher(KubernetesClient client, String meshNamespace, String rootPem, String ownerName) {
        this.client = client;
        this.meshNamespace = meshNamespace;
        this.rootPem = rootPem;
        this.ownerName = ownerName;
        this.name = MeshIdentity.rootCertConfigMap(meshNamespace);
    }

    /**
     * Returns once the informers hold their first lists: the copies and the owner first, so that existing copies are
     * not rewritten. The owner's informer also means no read of it per write, and every namespace is served as soon
     * as it appears.
     */
    CaRootPublisher start() {
        // Assigned before they run: their first events read the other stores.
        copies = client.configMaps().inAnyNamespace().withField("metadata.name", name)
                .runnableInformer(RESYNC_MILLIS);
        owners = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(ownerName)
                .runnableInformer(RESYNC_MILLIS);
        namespaces = client.namespaces().runnableInformer(RESYNC_MILLIS);
        copies.addEventHandler(handler(copy -> ensure(copy.getMetadata().getNamespace())));
        owners.addEventHandler(handler(owner -> namespaces.getStore().listKeys().forEach(this::ensure)));
        namespaces.addEventHandler(handler(ns -> ensure(ns.getMetadata().getName())));
        copies.run();
        owners.run();
        namespaces.run();
        return this;
    }

    /** A new trust bundle (the plugged-in CA changed): every namespace's copy is rewritten. */
    void publish(String bundlePem) {
        rootPem = bundlePem;
        namespaces.getStore().listKeys().forEach(this::ensure);
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> ensure) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                ensure.accept(object);
            }

            @Override
            public void onUpdate(T oldObject, T object) {
                ensure.accept(object);
            }

            @Override
            public void onDelete(T object, boolean deletedFinalStateUnknown) {
                ensure.accept(object);
            }
        };
    }

    private synchronized void ensure(String namespace) {
        if (SKIPPED.contains(namespace) || !live(namespace)) {
            return;
        }
        boolean mesh = meshNamespace.equals(namespace);
        ConfigMap copy = copies.getStore().getByKey(namespace + "/" + name);
        if (copy != null && rootPem.equals(data(copy)) && (mesh || ownedByAWebhookConfiguration(copy))) {
            return;
        }
        Optional<OwnerReference> owner = mesh ? Optional.empty() : owner();
        if (!mesh && owner.isEmpty()) {
            LOG.debug("no MutatingWebhookConfiguration {} yet: no CA root in namespace {}", ownerName, namespace);
            return;
        }
        write(namespace, owner);
    }

    /** Present and not terminating (the apiserver refuses new objects in a terminating namespace). */
    private boolean live(String namespace) {
        Namespace ns = namespaces.getStore().getByKey(namespace);
        return ns != null && ns.getMetadata().getDeletionTimestamp() == null;
    }

    private static String data(ConfigMap copy) {
        Map<String, String> data = copy.getData();
        return data == null ? null : data.get(MeshIdentity.ROOT_CERT_KEY);
    }

    /** Any revision's injector configuration will do: whichever is removed last takes the copies with it. */
    private static boolean ownedByAWebhookConfiguration(ConfigMap copy) {
        List<OwnerReference> owners = copy.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> "MutatingWebhookConfiguration".equals(o.getKind()));
    }

    private Optional<OwnerReference> owner() {
        MutatingWebhookConfiguration configuration = owners.getStore().getByKey(ownerName);
        if (configuration == null || configuration.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        return Optional.of(new OwnerReferenceBuilder().withApiVersion("admissionregistration.k8s.io/v1")
                .withKind("MutatingWebhookConfiguration").withName(ownerName)
                .withUid(configuration.getMetadata().getUid()).build());
    }

    private void write(String namespace, Optional<OwnerReference> owner) {
        ConfigMap root = new ConfigMapBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).withOwnerReferences(owner.stream().toList()).endMetadata()
                .addToData(MeshIdentity.ROOT_CERT_KEY, rootPem).build();
        try {
            // create, else update: the verbs the discovery server's ClusterRole grants on ConfigMaps (no patch, so no apply)
            client.resource(root).createOr(NonDeletingOperation::update);
            LOG.info("wrote the CA certificate into ConfigMap {}/{}", namespace, name);
        } catch (KubernetesClientException e) {
            LOG.warn("cannot write ConfigMap {}/{} (retrying in {} s): {}", namespace, name,
                    RESYNC_MILLIS / 1000, e.getMessage());
        }
    }

    @Override
    public void close() {
        for (SharedIndexInformer<?> informer : new SharedIndexInformer<?>[] {namespaces, owners, copies}) {
            if (informer != null) {
                informer.close();
            }
        }
    }
}
