package dev.windlass.discovery.kube;

import dev.windlass.contract.Revisions;
import dev.windlass.discovery.model.ChangeKind;
import dev.windlass.discovery.model.EndpointSliceModel;
import dev.windlass.discovery.model.Locality;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.ModelSource;
import dev.windlass.discovery.model.PodModel;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.security.JwksResolver;
import dev.windlass.discovery.security.JwksSource;
import dev.windlass.traffic.istio.IstioKind;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The discovery server's view of the cluster: informers on Services, EndpointSlices, Pods and Namespaces in
 * all namespaces, on the mesh ConfigMap in its own, and on the Istio traffic API ({@link IstioIndex}). Each event updates the registry model and reports
 * what kind of push it calls for: EndpointSlices only affect EDS; Services, Pods and the mesh config anything. The
 * JWKS its RequestAuthentications fetch ({@link JwksResolver}) are part of each snapshot; new keys push as a change.
 *
 * <p>Namespaces do not shape any xDS yet; their labels serve the injector ({@link #namespaceLabels}), and their
 * informer counts towards readiness.
 */
public final class KubeWatcher implements ModelSource {
    private static final Logger LOG = LoggerFactory.getLogger(KubeWatcher.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String meshConfigName;
    private ModelIndex<io.fabric8.kubernetes.api.model.Service, ServiceModel> services;
    private ModelIndex<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice, EndpointSliceModel> slices;
    private ModelIndex<io.fabric8.kubernetes.api.model.Pod, PodModel> pods;
    private ModelIndex<ConfigMap, MeshSettings> meshConfig;
    /** Node localities: a pod without the istio-locality label takes its node's (FULL: every proxy's EDS may change). */
    private ModelIndex<io.fabric8.kubernetes.api.model.Node, Map.Entry<String, Locality>> nodes;
    /** Namespace labels, for the injector; no push depends on them yet, hence the no-op change callback. */
    private final ModelIndex<Namespace, Map<String, String>> namespaces = new ModelIndex<>(
            n -> Optional.of(n.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(n.getMetadata().getLabels())),
            ChangeKind.FULL, kind -> { });
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final IstioIndex istio;
    private final JwksResolver jwks;

    /** {@code namespace}: the discovery server's own, which is also the mesh's root namespace for Istio config. */
    public KubeWatcher(KubernetesClient client, String namespace, String meshConfigName) {
        this(client, namespace, meshConfigName, new JwksResolver(JwksResolver.Timing.istiod(JwksResolver.DEFAULT_REFRESH),
                java.time.Clock.systemUTC()));
    }

    /** With the resolver that fetches RequestAuthentications' keys (jwksUri, issuers'); closed with the watcher. */
    public KubeWatcher(KubernetesClient client, String namespace, String meshConfigName, JwksResolver jwks) {
        this.client = client;
        this.namespace = namespace;
        this.meshConfigName = meshConfigName;
        this.istio = new IstioIndex(client, namespace);
        this.jwks = jwks;
    }

    /** The mesh ConfigMap of a revision: {@code windlass}, or {@code windlass-<rev>} (profiles' MeshConfigMaps). */
    public static String meshConfigName(String revision) {
        return Revisions.revisioned("windlass", revision);
    }

    /** Starts every informer; returns at once. {@link #synced()} says when their first lists are in. */
    @Override
    public void start(Consumer<ChangeKind> changes) {
        this.services = new ModelIndex<>(KubeObjects::service, ChangeKind.FULL, changes);
        this.slices = new ModelIndex<>(KubeObjects::slice, ChangeKind.ENDPOINTS, changes);
        this.pods = new ModelIndex<>(p -> Optional.of(KubeObjects.pod(p)), ChangeKind.FULL, changes);
        this.meshConfig = new ModelIndex<>(this::meshSettings, ChangeKind.FULL, changes);
        this.nodes = new ModelIndex<>(n -> Optional.of(KubeObjects.node(n)), ChangeKind.FULL, changes);
        informers.add(client.services().inAnyNamespace().runnableInformer(0).addEventHandler(services));
        informers.add(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0).addEventHandler(slices));
        informers.add(client.pods().inAnyNamespace().runnableInformer(0).addEventHandler(pods));
        informers.add(client.namespaces().runnableInformer(0).addEventHandler(namespaces));
        informers.add(client.nodes().runnableInformer(0).addEventHandler(nodes));
        informers.add(client.configMaps().inNamespace(namespace).withName(meshConfigName).runnableInformer(0)
                .addEventHandler(meshConfig));
        informers.addAll(istio.start(changes));
        jwks.onChange(() -> changes.accept(ChangeKind.FULL));
        informers.forEach(SharedIndexInformer::start);
    }

    /**
     * The mesh settings from the ConfigMap's mesh.yaml. A bad file is logged and the last good settings stay;
     * without the ConfigMap, the defaults apply (as in Istio).
     */
    private Optional<MeshSettings> meshSettings(ConfigMap cm) {
        Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
        try {
            MeshSettings parsed = MeshConfigParser.parse(data.get("mesh.yaml"));
            LOG.info("mesh config: {}", parsed);
            return Optional.of(parsed);
        } catch (IllegalArgumentException e) {
            LOG.error("{}/{}: {}; keeping the previous settings", namespace, meshConfigName, e.getMessage());
            return Optional.of(settings());
        }
    }

    private MeshSettings settings() {
        return meshConfig == null ? MeshSettings.DEFAULT : meshConfig.values().stream().findFirst().orElse(MeshSettings.DEFAULT);
    }

    /** A namespace's labels as the informer last saw them; empty when it has not seen the namespace (yet). */
    public Optional<Map<String, String>> namespaceLabels(String name) {
        return namespaces.get(null, name);
    }

    /** An Istio object as the informers last saw it, with its status; empty when unknown or not watched. */
    public Optional<GenericKubernetesResource> istioObject(IstioKind kind, String namespace, String name) {
        return istio.object(kind, namespace, name);
    }

    @Override
    public boolean synced() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** The registry now; cheap enough to call on every push (the models are converted already). */
    @Override
    public MeshSnapshot snapshot() {
        if (services == null) {
            return MeshSnapshot.EMPTY;
        }
        MeshSettings settings = settings();
        IstioIndex.Snapshot traffic = istio.snapshot(settings.clusterDomain());
        return MeshSnapshot.of(settings, services.values(), slices.values(), pods.values(), traffic.config(), traffic.rules())
                .withNodes(nodes.values().stream().collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a)))
                .withJwks(jwks.track(JwksSource.inUse(traffic.config().requestAuthentications())));
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        jwks.close();
    }
}
