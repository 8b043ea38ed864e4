package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.operator.install.ManagedObjects;
import dev.windlass.operator.install.MeshLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
        return sources;
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
