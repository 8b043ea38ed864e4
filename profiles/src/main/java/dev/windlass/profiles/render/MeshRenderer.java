package dev.windlass.profiles.render;

import dev.windlass.api.v1alpha1.Components;
import dev.windlass.api.v1alpha1.GatewayComponent;
import dev.windlass.api.v1alpha1.MeshControlPlaneSpec;
import dev.windlass.upgrade.MeshVersion;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a mesh: resolved values, mesh version and revision in; Kubernetes objects out, in apply order
 * (CRDs and the namespace first, webhooks after the Service they call, add-ons last). A pure function: the same
 * input always gives the same objects. The CLI prints exactly what the operator applies.
 */
public final class MeshRenderer {
    private final VersionCatalog catalog;

    public MeshRenderer(VersionCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @param instance         the MeshControlPlane's name, for the instance label
     * @param values           fully resolved values (see {@code ValuesResolver})
     * @param revision         {@code default}, or a revision name for revision-based installs
     * @param includeNamespace whether to render the mesh namespace itself
     */
    public List<HasMetadata> render(String instance, MeshControlPlaneSpec values, String revision, boolean includeNamespace) {
        MeshVersion version = catalog.require(values.version());
        MeshContext ctx = new MeshContext(instance, values, version, revision);
        List<HasMetadata> objects = new ArrayList<>(TrafficApiCrds.render());
        if (includeNamespace) {
            objects.add(new NamespaceBuilder().withMetadata(ctx.meta(ctx.namespace(), null, "base")).build());
        }
        Components components = values.components();
        objects.addAll(revisionObjects(ctx));
        objects.addAll(gateways(ctx, components.ingressGateways(), GatewayResources.Direction.INGRESS));
        objects.addAll(gateways(ctx, components.egressGateways(), GatewayResources.Direction.EGRESS));
        objects.addAll(AddonResources.render(ctx));
        return List.copyOf(objects);
    }

    /**
     * Only what belongs to one revision (its config maps, discovery server and webhooks): what an older revision of
     * a revision-based mesh keeps running beside the active one, which alone renders the gateways and add-ons.
     */
    public List<HasMetadata> renderRevision(String instance, MeshControlPlaneSpec values, String revision) {
        return revisionObjects(new MeshContext(instance, values, catalog.require(values.version()), revision));
    }

    private static List<HasMetadata> revisionObjects(MeshContext ctx) {
        List<HasMetadata> objects = new ArrayList<>(MeshConfigMaps.render(ctx));
        if (Boolean.TRUE.equals(ctx.spec().components().discovery().enabled())) {
            objects.addAll(DiscoveryRbac.render(ctx));
            objects.addAll(DiscoveryServer.render(ctx));
            objects.add(InjectionWebhook.render(ctx));
            objects.add(ValidationWebhook.render(ctx));
        }
        return objects;
    }

    private static List<HasMetadata> gateways(MeshContext ctx, List<GatewayComponent> gateways, GatewayResources.Direction direction) {
        List<HasMetadata> objects = new ArrayList<>();
        for (GatewayComponent gateway : gateways == null ? List.<GatewayComponent>of() : gateways) {
            if (Boolean.TRUE.equals(gateway.enabled())) {
                objects.addAll(GatewayResources.render(ctx, gateway, direction));
            }
        }
        return objects;
    }
}
