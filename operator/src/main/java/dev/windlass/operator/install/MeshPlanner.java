package dev.windlass.operator.install;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.ResolvedValues;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.profiles.Yaml;
import dev.windlass.profiles.render.MeshContext;
import dev.windlass.profiles.render.MeshRenderer;
import dev.windlass.upgrade.VersionCatalog;

import java.util.List;
import java.util.Optional;

/**
 * Turns a MeshControlPlane into a plan with the same code the CLI's {@code manifest generate} uses, so that
 * what the CLI prints is exactly what the operator applies. Throws {@code ValuesException} for a spec that
 * cannot be resolved (an unknown profile, a version outside the catalog).
 */
public final class MeshPlanner {
    private final ValuesResolver resolver;
    private final MeshRenderer renderer;
    private final Optional<String> platform;

    public MeshPlanner(Optional<String> platform) {
        this.resolver = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn());
        this.renderer = new MeshRenderer(VersionCatalog.builtIn());
        this.platform = platform;
    }

    /** @param includeNamespace false when the mesh namespace exists and belongs to someone else */
    public MeshPlan plan(MeshControlPlane mcp, boolean includeNamespace) {
        String instance = mcp.getMetadata().getName();
        ObjectNode spec = Yaml.MAPPER.valueToTree(mcp.getSpec());
        ResolvedValues values = resolver.resolve(new ValuesLayer("MeshControlPlane " + instance, spec), List.of(), platform);
        String revision = MeshContext.DEFAULT_REVISION;
        return new MeshPlan(instance, values.spec().namespace(), revision, values.spec().version(), values.spec().profile(),
                renderer.render(instance, values.spec(), revision, includeNamespace));
    }
}
