package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.contract.Labels;
import dev.windlass.operator.install.ManagedObjects;
import dev.windlass.operator.install.MeshLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Watches every kind the operator manages, selected by its managed-by label, and maps each event to the
 * MeshControlPlane named in the object's instance label. This is what repairs drift: a user's edit or delete
 * of a managed object triggers a reconcile, which applies it again. EndpointSlices are watched too (the
 * EndpointSlice controller copies the Service's labels), so webhook readiness is noticed at once.
 */
final class ManagedObjectWatches {
    private ManagedObjectWatches() {
    }

    static List<EventSource<?, MeshControlPlane>> eventSources(EventSourceContext<MeshControlPlane> context) {
        List<EventSource<?, MeshControlPlane>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : ManagedObjects.KINDS) {
            sources.add(watch(kind, context));
        }
        sources.add(watch(EndpointSlice.class, context));
        sources.add(injectedPods(context));
        sources.add(relabelledNamespaces(context));
        return sources;
    }

    /**
     * Pods that carry a revision label, for the data-plane counts and the revisions' InUse: their start and end
     * (not every status update) trigger a reconcile of every mesh, since a pod's revision does not name its mesh.
     */
    private static EventSource<Pod, MeshControlPlane> injectedPods(EventSourceContext<MeshControlPlane> context) {
        var configuration = InformerEventSourceConfiguration.from(Pod.class, MeshControlPlane.class)
                .withName("InjectedPods")
                .withLabelSelector(Labels.REVISION)
                .withOnUpdateFilter((older, newer) -> !Objects.equals(phase(older), phase(newer)))
                .withSecondaryToPrimaryMapper(pod -> context.getPrimaryCache().list().map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    /**
     * Every namespace, for a change of its labels: relabelling a namespace to another revision (or tag) moves its
     * workloads, so the status must say what is left and updateWorkloads must restart them, without waiting for
     * some other event. Like pods, a namespace's labels do not name a mesh, so every mesh is reconciled.
     */
    private static EventSource<Namespace, MeshControlPlane> relabelledNamespaces(EventSourceContext<MeshControlPlane> context) {
        var configuration = InformerEventSourceConfiguration.from(Namespace.class, MeshControlPlane.class)
                .withName("RelabelledNamespaces")
                .withOnAddFilter(namespace -> false)
                .withOnUpdateFilter((older, newer) -> !Objects.equals(older.getMetadata().getLabels(), newer.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper(namespace -> context.getPrimaryCache().list().map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static <R extends HasMetadata> EventSource<R, MeshControlPlane> watch(Class<R> kind,
                                                                                 EventSourceContext<MeshControlPlane> context) {
        var configuration = InformerEventSourceConfiguration.from(kind, MeshControlPlane.class)
                .withName(kind.getSimpleName())
                .withLabelSelector(MeshLabels.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(ManagedObjectWatches::owner)
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    private static Set<ResourceID> owner(HasMetadata object) {
        String instance = MeshLabels.instanceOf(object);
        return instance == null ? Set.of() : Set.of(new ResourceID(instance));
    }
}
