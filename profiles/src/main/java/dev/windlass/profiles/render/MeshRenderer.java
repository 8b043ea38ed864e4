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

import static dev.windlass.profiles.render.InstallPhase.ADDONS;
import static dev.windlass.profiles.render.InstallPhase.BASE;
import static dev.windlass.profiles.render.InstallPhase.DISCOVERY;
import static dev.windlass.profiles.render.InstallPhase.GATEWAYS;
import static dev.windlass.profiles.render.InstallPhase.WEBHOOKS;

/**
 * Renders a mesh: resolved values, mesh version and revision in; Kubernetes objects out, in apply order
 * (CRDs and the namespace first, webhooks after the Service they call, add-ons last), each in its install phase. A pure function: the same
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
        return renderMesh(instance, values, revision, includeNamespace).objects();
    }

    /** {@link #render}'s objects, each in its install phase. */
    public RenderedMesh renderMesh(String instance, MeshControlPlaneSpec values, String revision, boolean includeNamespace) {
        MeshVersion version = catalog.require(values.version());
        MeshContext ctx = new MeshContext(instance, values, version, revision);
        RenderedMesh.Builder mesh = RenderedMesh.builder().add(BASE, TrafficApiCrds.render());
        if (includeNamespace) {
            mesh.add(BASE, new NamespaceBuilder().withMetadata(ctx.meta(ctx.namespace(), null, "base")).build());
        }
        Components components = values.components();
        revisionObjects(ctx, mesh);
        mesh.add(GATEWAYS, gateways(ctx, components.ingressGateways(), GatewayResources.Direction.INGRESS));
        mesh.add(GATEWAYS, gateways(ctx, components.egressGateways(), GatewayResources.Direction.EGRESS));
        mesh.add(ADDONS, AddonResources.render(ctx));
        return mesh.build();
    }

    /**
     * Only what belongs to one revision (its config maps, discovery server and webhooks): what an older revision of
     * a revision-based mesh keeps running beside the active one, which alone renders the gateways and add-ons.
     */
    public List<HasMetadata> renderRevision(String instance, MeshControlPlaneSpec values, String revision) {
        return renderRevisionMesh(instance, values, revision).objects();
    }

    /** {@link #renderRevision}'s objects, each in its install phase. */
    public RenderedMesh renderRevisionMesh(String instance, MeshControlPlaneSpec values, String revision) {
        RenderedMesh.Builder mesh = RenderedMesh.builder();
        revisionObjects(new MeshContext(instance, values, catalog.require(values.version()), revision), mesh);
        return mesh.build();
    }

    /**
     * The injection template is in the webhooks' phase: it follows the discovery server's rollout, so a stalled
     * upgrade keeps injecting the proxy version that runs.
     */
    private static void revisionObjects(MeshContext ctx, RenderedMesh.Builder mesh) {
        mesh.add(BASE, MeshConfigMaps.mesh(ctx)).add(WEBHOOKS, MeshConfigMaps.injector(ctx)).add(BASE, MeshConfigMaps.values(ctx));
        if (Boolean.TRUE.equals(ctx.spec().components().discovery().enabled())) {
            mesh.add(DISCOVERY, DiscoveryRbac.render(ctx));
            mesh.add(DISCOVERY, DiscoveryServer.render(ctx));
            mesh.add(WEBHOOKS, InjectionWebhook.render(ctx));
            mesh.add(WEBHOOKS, ValidationWebhook.render(ctx));
        }
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
