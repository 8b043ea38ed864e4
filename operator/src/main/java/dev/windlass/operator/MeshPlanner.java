package dev.windlass.operator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneSpec;
import dev.windlass.api.v1alpha1.MeshRevision;
import dev.windlass.contract.Revisions;
import dev.windlass.operator.install.MeshPlan;
import dev.windlass.operator.revisions.RevisionObjects;
import dev.windlass.operator.revisions.RevisionWriteProtection;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.ResolvedValues;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.profiles.Yaml;
import dev.windlass.profiles.render.InstallPhase;
import dev.windlass.profiles.render.MeshRenderer;
import dev.windlass.profiles.render.RenderedMesh;
import dev.windlass.upgrade.SemVer;
import dev.windlass.upgrade.ValuesMigrations;
import dev.windlass.upgrade.VersionCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a MeshControlPlane into a plan with the same code the CLI's {@code manifest generate} uses, so that
 * what the CLI prints is exactly what the operator applies. Throws {@code ValuesException} for a spec that
 * cannot be resolved (an unknown profile, a version outside the catalog).
 *
 * <p>A revision-based mesh also gets its MeshRevision, the policy that keeps users from writing its revisions,
 * and every older revision it keeps: the revision's own objects (config maps, discovery server, webhooks),
 * rendered from the spec that revision was installed with.
 */
public final class MeshPlanner {
    private final ValuesResolver resolver;
    private final MeshRenderer renderer;
    private final Optional<String> platform;
    private final String operatorUser;

    /** @param operatorUser the operator's own username, the only one that may write a mesh's MeshRevisions */
    public MeshPlanner(Optional<String> platform, String operatorUser) {
        this.resolver = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn());
        this.renderer = new MeshRenderer(VersionCatalog.builtIn());
        this.platform = platform;
        this.operatorUser = operatorUser;
    }

    /**
     * @param includeNamespace false when the mesh namespace exists and belongs to someone else
     * @param olderRevisions   the MeshRevisions to keep running beside the one the spec asks for
     */
    public MeshPlan plan(MeshControlPlane mcp, boolean includeNamespace, List<MeshRevision> olderRevisions) {
        String instance = mcp.getMetadata().getName();
        ObjectNode spec = Yaml.MAPPER.valueToTree(mcp.getSpec());
        List<String> migrations = migrate(spec, mcp);
        MeshControlPlaneSpec values = resolve(instance, spec);
        boolean revisionBased = RevisionObjects.isRevisionBased(mcp);
        String revision = revisionBased ? Revisions.revisionName(instance, values.version()) : Revisions.DEFAULT;
        RenderedMesh.Builder objects = RenderedMesh.builder().add(renderer.renderMesh(instance, values, revision, includeNamespace));
        List<String> kept = new ArrayList<>();
        if (revisionBased) {
            // The MeshRevisions and their write protection wait for nothing, as the base objects.
            objects.add(InstallPhase.BASE, RevisionObjects.active(mcp, revision, values, asSpec(spec)));
            objects.add(InstallPhase.BASE, RevisionWriteProtection.render(instance, operatorUser));
            for (MeshRevision older : olderRevisions) {
                if (!older.getMetadata().getName().equals(revision)) {
                    objects.add(InstallPhase.BASE, RevisionObjects.kept(older));
                    objects.add(renderer.renderRevisionMesh(instance, resolve(instance, Yaml.MAPPER.valueToTree(older.getSpec().values())),
                            older.getMetadata().getName()));
                    kept.add(older.getMetadata().getName());
                }
            }
        }
        return new MeshPlan(instance, values.namespace(), revision, values.version(), values.profile(), objects.build(), kept, migrations);
    }

    private static MeshControlPlaneSpec asSpec(ObjectNode spec) {
        return Yaml.MAPPER.convertValue(spec, MeshControlPlaneSpec.class);
    }

    private MeshControlPlaneSpec resolve(String instance, ObjectNode spec) {
        ResolvedValues values = resolver.resolve(new ValuesLayer("MeshControlPlane " + instance, spec), List.of(), platform);
        return values.spec();
    }

    /** Values written for the installed version are migrated to the version asked for (never the object itself). */
    private static List<String> migrate(ObjectNode spec, MeshControlPlane mcp) {
        String installed = mcp.getStatus() == null ? null : mcp.getStatus().version();
        String wanted = mcp.getSpec().version();
        if (installed == null || wanted == null || SemVer.parse(wanted).compareTo(SemVer.parse(installed)) <= 0) {
            return List.of();
        }
        return ValuesMigrations.builtIn().migrate(spec, installed, wanted);
    }
}
