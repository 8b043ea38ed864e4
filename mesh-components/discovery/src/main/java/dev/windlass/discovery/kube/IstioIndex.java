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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    private ModelIndex<GenericKubernetesResource, IstioObjects.Converted> peerAuthentications;
    private ModelIndex<GenericKubernetesResource, IstioObjects.Converted> authorizationPolicies;
    private ModelIndex<GenericKubernetesResource, IstioObjects.Converted> requestAuthentications;
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
        virtualServices = index(IstioKind.VIRTUAL_SERVICE, counting);
        destinationRules = index(IstioKind.DESTINATION_RULE, counting);
        serviceEntries = index(IstioKind.SERVICE_ENTRY, counting);
        gateways = index(IstioKind.GATEWAY, counting);
        peerAuthentications = index(IstioKind.PEER_AUTHENTICATION, counting);
        authorizationPolicies = index(IstioKind.AUTHORIZATION_POLICY, counting);
        requestAuthentications = index(IstioKind.REQUEST_AUTHENTICATION, counting);
        Set<IstioKind.ApiGroup> served = EnumSet.noneOf(IstioKind.ApiGroup.class);
        for (IstioKind.ApiGroup group : IstioKind.ApiGroup.values()) {
            if (client.getApiGroup(group.groupName()) == null) {
                LOG.warn("the cluster does not serve {}: none of its kinds will be read", group.groupName());
            } else {
                served.add(group);
            }
        }
        informer(served, IstioKind.VIRTUAL_SERVICE, virtualServices);
        informer(served, IstioKind.DESTINATION_RULE, destinationRules);
        informer(served, IstioKind.SERVICE_ENTRY, serviceEntries);
        informer(served, IstioKind.GATEWAY, gateways);
        informer(served, IstioKind.PEER_AUTHENTICATION, peerAuthentications);
        informer(served, IstioKind.AUTHORIZATION_POLICY, authorizationPolicies);
        informer(served, IstioKind.REQUEST_AUTHENTICATION, requestAuthentications);
        return informers;
    }

    private static ModelIndex<GenericKubernetesResource, IstioObjects.Converted> index(IstioKind kind, Consumer<ChangeKind> onChange) {
        return new ModelIndex<>(o -> Optional.of(IstioObjects.convert(kind, o)), ChangeKind.FULL, onChange);
    }

    /** An informer for the kind, unless the cluster does not serve its group (then it has none of them). */
    private void informer(Set<IstioKind.ApiGroup> served, IstioKind kind,
                          ModelIndex<GenericKubernetesResource, IstioObjects.Converted> index) {
        if (!served.contains(kind.apiGroup())) {
            return;
        }
        SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(kind.apiVersion(),
                kind.kind()).inAnyNamespace().runnableInformer(0).addEventHandler(index);
        byKind.put(kind, informer);
        informers.add(informer);
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
                usable(serviceEntries, rejected), usable(gateways, rejected), usable(peerAuthentications, rejected),
                usable(authorizationPolicies, rejected), usable(requestAuthentications, rejected), rejected, rootNamespace);
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
