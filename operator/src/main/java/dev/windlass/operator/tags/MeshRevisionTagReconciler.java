package dev.windlass.operator.tags;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshRevision;
import dev.windlass.api.v1alpha1.MeshRevisionTag;
import dev.windlass.api.v1alpha1.MeshRevisionTagStatus;
import dev.windlass.contract.Labels;
import dev.windlass.contract.Revisions;
import dev.windlass.operator.conditions.MeshConditions;
import dev.windlass.operator.install.MeshLabels;
import dev.windlass.operator.install.ObjectApplier;
import dev.windlass.operator.revisions.TagTargets;
import dev.windlass.profiles.render.InjectionWebhook;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps each revision tag's webhook pointing at the revision its target resolves to: retargeting is one apply of
 * the webhook's service. The webhook is owned by the tag, so deleting the tag removes it; a tag whose target is
 * gone has its webhook deleted, so that pods in tagged namespaces are never blocked by a webhook with no server.
 */
@ControllerConfiguration(name = MeshRevisionTagReconciler.NAME)
public class MeshRevisionTagReconciler implements Reconciler<MeshRevisionTag> {
    public static final String NAME = "meshrevisiontag";
    private static final List<String> TYPES = List.of("Ready");
    private static final Duration RECHECK = Duration.ofSeconds(10);
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    @Override
    public List<EventSource<?, MeshRevisionTag>> prepareEventSources(EventSourceContext<MeshRevisionTag> context) {
        return List.of(targets(MeshControlPlane.class, "MeshControlPlane", context),
                targets(MeshRevision.class, "MeshRevision", context));
    }

    /** A change to a MeshControlPlane or MeshRevision reconciles the tags that point at it. */
    private static <R extends HasMetadata> EventSource<R, MeshRevisionTag> targets(Class<R> kind, String targetKind,
                                                                                 EventSourceContext<MeshRevisionTag> context) {
        var configuration = InformerEventSourceConfiguration.from(kind, MeshRevisionTag.class)
                .withName("Tag" + kind.getSimpleName())
                .withSecondaryToPrimaryMapper(target -> context.getPrimaryCache().list()
                        .filter(t -> t.getSpec() != null && t.getSpec().targetRef() != null
                                && t.getSpec().targetRef().kind().name().equals(targetKind)
                                && t.getSpec().targetRef().name().equals(target.getMetadata().getName()))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    @Override
    public UpdateControl<MeshRevisionTag> reconcile(MeshRevisionTag tag, Context<MeshRevisionTag> context) {
        KubernetesClient client = context.getClient();
        String name = tag.getMetadata().getName();
        if (!DNS_LABEL.matcher(name).matches()) {
            return status(tag, null, false, "InvalidName", "metadata.name: a tag is a label value and a URL path segment, so it must"
                    + " be a DNS label (lower-case letters, digits and '-', at most 63); '" + name + "' is not. No webhook was created");
        }
        Optional<TagTargets.Target> target = TagTargets.resolve(client, tag.getSpec().targetRef());
        if (target.isEmpty()) {
            client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(InjectionWebhook.tagName(name)).delete();
            return status(tag, null, false, "TargetNotFound", tag.getSpec().targetRef().kind() + " " + tag.getSpec().targetRef().name()
                    + " does not exist or has no active revision yet; the tag's webhook is removed until it does");
        }
        TagTargets.Target to = target.get();
        if (Revisions.DEFAULT.equals(name) && Revisions.DEFAULT.equals(to.revision())) {
            return status(tag, to.revision(), false, "DefaultRevisionExists", "The in-place mesh " + to.controlPlane()
                    + " already serves " + "windlass-injection=enabled as revision default; the tag default is for revision-based meshes");
        }
        Optional<String> caBundle = caBundle(client, to);
        if (caBundle.isEmpty()) {
            return status(tag, to.revision(), false, "WaitingForCertificate", "The discovery server of revision " + to.revision()
                    + " has not written its CA into " + InjectionWebhook.name(to.revision(), to.namespace()) + " yet");
        }
        MutatingWebhookConfiguration webhook = InjectionWebhook.renderTag(name, to.revision(), to.namespace(), caBundle.get());
        webhook.getMetadata().setLabels(Map.of(MeshLabels.TAG_OF, to.controlPlane(), Labels.REVISION, name,
                Labels.MANAGED_BY, Labels.MANAGED_BY_OPERATOR));
        webhook.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion(tag.getApiVersion())
                .withKind(tag.getKind()).withName(name).withUid(tag.getMetadata().getUid()).withController(true).build()));
        client.resource(webhook).fieldManager(ObjectApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
        return status(tag, to.revision(), true, "Ready", "Namespaces labelled " + Labels.REVISION + "=" + name
                + (Revisions.DEFAULT.equals(name) ? " or windlass-injection=enabled" : "") + " are injected by revision "
                + to.revision());
    }

    /** The CA the revision's discovery server wrote into its own webhook configuration. */
    private static Optional<String> caBundle(KubernetesClient client, TagTargets.Target target) {
        MutatingWebhookConfiguration own = client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(InjectionWebhook.name(target.revision(), target.namespace())).get();
        return own == null ? Optional.empty() : own.getWebhooks().stream().map(MutatingWebhook::getClientConfig)
                .filter(Objects::nonNull).map(c -> c.getCaBundle()).filter(c -> c != null && !c.isEmpty()).findFirst();
    }

    private static UpdateControl<MeshRevisionTag> status(MeshRevisionTag tag, String revision, boolean ready, String reason, String message) {
        long generation = Objects.requireNonNullElse(tag.getMetadata().getGeneration(), 1L);
        MeshConditions conditions = new MeshConditions(tag.getStatus() == null ? null : tag.getStatus().conditions(), generation, TYPES)
                .set("Ready", ready, reason, message);
        MeshRevisionTag patch = new MeshRevisionTag();
        patch.setMetadata(new ObjectMetaBuilder().withName(tag.getMetadata().getName()).build());
        patch.setStatus(new MeshRevisionTagStatus(generation, conditions.build(), revision));
        UpdateControl<MeshRevisionTag> control = UpdateControl.patchStatus(patch);
        return ready ? control : control.rescheduleAfter(RECHECK);
    }
}
