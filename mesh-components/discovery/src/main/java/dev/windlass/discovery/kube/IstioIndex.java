package dev.windlass.discovery.kube;

import dev.windlass.discovery.model.ChangeKind;
import dev.windlass.discovery.model.IstioConfig;
import dev.windlass.discovery.routing.TrafficRules;
import dev.windlass.discovery.istio.IstioTraffic;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.IstioResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Informers on the Istio kinds Windlass implements (VirtualService, DestinationRule, ServiceEntry, Gateway), in every
 * namespace, and the routing model and registry entries built from them. The model is rebuilt only when a resource
 * changed, not on every push. When the
 * cluster does not serve networking.istio.io at all, there is nothing to watch and the traffic API is empty.
 */
final class IstioIndex {
    private static final Logger LOG = LoggerFactory.getLogger(IstioIndex.class);

    private final KubernetesClient client;
    private final String rootNamespace;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final Map<IstioKind, SharedIndexInformer<GenericKubernetesResource>> byKind = new EnumMap<>(IstioKind.class);
    private ModelIndex<GenericKubernetesResource, IstioObjects.Converted> virtualServices;
    private ModelIndex<GenericKubernetesResource, IstioObjects.Converted> destinationRules;
    private ModelIndex<GenericKubernetesResource, IstioObjects.Converted> serviceEntries;
    private ModelIndex<GenericKubernetesResource, IstioObjects.Converted> gateways;
    private volatile long changes;
    private long builtAt = -1;
    private String builtFor;
    private IstioConfig config = IstioConfig.EMPTY;
    private TrafficRules rules = TrafficRules.EMPTY;

    IstioIndex(KubernetesClient client, String rootNamespace) {
        this.client = client;
        this.rootNamespace = rootNamespace;
    }

    List<SharedIndexInformer<?>> start(Consumer<ChangeKind> onChange) {
        Consumer<ChangeKind> counting = kind -> {
            changes++;
            onChange.accept(kind);
        };
        virtualServices = new ModelIndex<>(o -> Optional.of(IstioObjects.convert(IstioKind.VIRTUAL_SERVICE, o)), ChangeKind.FULL, counting);
        destinationRules = new ModelIndex<>(o -> Optional.of(IstioObjects.convert(IstioKind.DESTINATION_RULE, o)), ChangeKind.FULL, counting);
        serviceEntries = new ModelIndex<>(o -> Optional.of(IstioObjects.convert(IstioKind.SERVICE_ENTRY, o)), ChangeKind.FULL, counting);
        gateways = new ModelIndex<>(o -> Optional.of(IstioObjects.convert(IstioKind.GATEWAY, o)), ChangeKind.FULL, counting);
        if (client.getApiGroup(IstioKind.GROUP) == null) {
            LOG.warn("the cluster does not serve {}: no VirtualService, DestinationRule, ServiceEntry or Gateway will be read", IstioKind.GROUP);
            return informers;
        }
        informers.add(informer(IstioKind.VIRTUAL_SERVICE, virtualServices));
        informers.add(informer(IstioKind.DESTINATION_RULE, destinationRules));
        informers.add(informer(IstioKind.SERVICE_ENTRY, serviceEntries));
        informers.add(informer(IstioKind.GATEWAY, gateways));
        return informers;
    }

    private SharedIndexInformer<GenericKubernetesResource> informer(IstioKind kind,
                                                                   ModelIndex<GenericKubernetesResource, IstioObjects.Converted> index) {
        SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(
                IstioKind.GROUP + "/" + IstioKind.STORAGE_VERSION, kind.kind()).inAnyNamespace().runnableInformer(0).addEventHandler(index);
        byKind.put(kind, informer);
        return informer;
    }

    /** The object as the informer last saw it, status included (the status writer compares before it writes). */
    Optional<GenericKubernetesResource> object(IstioKind kind, String namespace, String name) {
        SharedIndexInformer<GenericKubernetesResource> informer = byKind.get(kind);
        return informer == null ? Optional.empty() : Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name));
    }

    /** The traffic API now, and the rules built from it for {@code clusterDomain}; rebuilt only after a change. */
    synchronized Snapshot snapshot(String clusterDomain) {
        long seen = changes;
        if (virtualServices != null && (seen != builtAt || !clusterDomain.equals(builtFor))) {
            config = config();
            rules = IstioTraffic.build(config, clusterDomain);
            builtAt = seen;
            builtFor = clusterDomain;
        }
        return new Snapshot(config, rules);
    }

    record Snapshot(IstioConfig config, TrafficRules rules) {
    }

    private IstioConfig config() {
        List<IstioConfig.Rejected> rejected = new ArrayList<>();
        return new IstioConfig(usable(virtualServices, rejected), usable(destinationRules, rejected),
                usable(serviceEntries, rejected), usable(gateways, rejected), rejected, rootNamespace);
    }

    /** The resources of one kind that parsed and validated; the others go to {@code rejected}. */
    @SuppressWarnings("unchecked")
    private static <S> List<IstioResource<S>> usable(ModelIndex<GenericKubernetesResource, IstioObjects.Converted> index,
                                                    List<IstioConfig.Rejected> rejected) {
        List<IstioResource<S>> out = new ArrayList<>();
        for (IstioObjects.Converted c : index.values()) {
            switch (c) {
                case IstioObjects.Usable u -> out.add((IstioResource<S>) u.resource());
                case IstioObjects.Unusable u -> rejected.add(u.rejected());
            }
        }
        return out;
    }
}
