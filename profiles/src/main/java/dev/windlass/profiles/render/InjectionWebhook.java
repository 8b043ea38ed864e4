package dev.windlass.profiles.render;

import dev.windlass.contract.Labels;
import dev.windlass.contract.Revisions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The sidecar-injector webhook of one revision. Selection follows shared/design.md: the namespace label
 * windlass-injection=enabled (default revision only), the namespace or pod label windlass.dev/rev=REV, or the pod
 * label sidecar.windlass.dev/inject=true; "disabled" and "false" always win. The caBundle is left out: the
 * discovery server writes it, and the operator does not manage that field.
 */
public final class InjectionWebhook {
    private static final String REV = Labels.REVISION;

    private InjectionWebhook() {
    }

    static String name(MeshContext ctx) {
        return name(ctx.revision(), ctx.namespace());
    }

    /** The injection webhook configuration of a revision, whose caBundle that revision's discovery server writes. */
    public static String name(String revision, String namespace) {
        return Revisions.clusterScoped(Revisions.INJECTOR, revision, namespace);
    }

    /** The name of a revision tag's webhook configuration. */
    public static String tagName(String tag) {
        return "windlass-revision-tag-" + tag;
    }

    static HasMetadata render(MeshContext ctx) {
        Target target = new Target(ctx.discoveryName(), ctx.namespace(), "/inject");
        return new MutatingWebhookConfigurationBuilder()
                .withMetadata(ctx.meta(name(ctx), null, "injector"))
                .withWebhooks(webhooks(target, ctx.revision(), ctx.isDefaultRevision()))
                .build();
    }

    /**
     * The webhook of a revision tag: the selectors of a revision named like the tag (and of the default revision,
     * for the tag {@code default}), calling the discovery server of the revision it points at, which injects pods
     * asking for the tag (see the injector's InjectionPolicy). Labels and owner are the caller's.
     */
    public static MutatingWebhookConfiguration renderTag(String tag, String revision, String namespace, String caBundle) {
        Target target = new Target(Revisions.discoveryName(revision), namespace, "/inject/tag/" + tag);
        List<MutatingWebhook> webhooks = webhooks(target, tag, Revisions.DEFAULT.equals(tag));
        webhooks.forEach(w -> w.getClientConfig().setCaBundle(caBundle));
        return new MutatingWebhookConfigurationBuilder().withNewMetadata().withName(tagName(tag)).endMetadata()
                .withWebhooks(webhooks).build();
    }

    private record Target(String service, String namespace, String path) {
    }

    private static List<MutatingWebhook> webhooks(Target target, String rev, boolean alsoDefaultSelectors) {
        List<MutatingWebhook> webhooks = new ArrayList<>();
        webhooks.add(webhook(target, "rev.namespace.sidecar-injector.windlass.dev",
                namespaces(target.namespace(), req(REV, "In", rev), req(Labels.NAMESPACE_INJECTION, "DoesNotExist")),
                selector(req(Labels.INJECT, "NotIn", "false"))));
        webhooks.add(webhook(target, "rev.object.sidecar-injector.windlass.dev",
                namespaces(target.namespace(), req(REV, "DoesNotExist"), req(Labels.NAMESPACE_INJECTION, "DoesNotExist")),
                selector(req(Labels.INJECT, "NotIn", "false"), req(REV, "In", rev))));
        if (alsoDefaultSelectors) {
            webhooks.add(webhook(target, "namespace.sidecar-injector.windlass.dev",
                    namespaces(target.namespace(), req(Labels.NAMESPACE_INJECTION, "In", "enabled")),
                    selector(req(Labels.INJECT, "NotIn", "false"))));
            webhooks.add(webhook(target, "object.sidecar-injector.windlass.dev",
                    namespaces(target.namespace(), req(Labels.NAMESPACE_INJECTION, "DoesNotExist"), req(REV, "DoesNotExist")),
                    selector(req(Labels.INJECT, "In", "true"), req(REV, "DoesNotExist"))));
        }
        return webhooks;
    }

    private static MutatingWebhook webhook(Target target, String name, LabelSelector namespaces, LabelSelector objects) {
        return new MutatingWebhookBuilder()
                .withName(name)
                .withNewClientConfig().withNewService()
                .withName(target.service()).withNamespace(target.namespace()).withPath(target.path()).withPort(443)
                .endService().endClientConfig()
                .addNewRule().withApiGroups("").withApiVersions("v1").withResources("pods").withOperations("CREATE").endRule()
                .withNamespaceSelector(namespaces)
                .withObjectSelector(objects)
                .withFailurePolicy("Fail")
                .withSideEffects("None")
                .withAdmissionReviewVersions("v1")
                .withReinvocationPolicy("Never")
                .withTimeoutSeconds(10)
                .build();
    }

    /** Namespace selector that also keeps kube-system and the mesh's own namespace out, whatever their labels. */
    private static LabelSelector namespaces(String meshNamespace, LabelSelectorRequirement... requirements) {
        List<LabelSelectorRequirement> all = new ArrayList<>(List.of(requirements));
        all.add(new LabelSelectorRequirement("kubernetes.io/metadata.name", "NotIn", List.of("kube-system", meshNamespace)));
        return new LabelSelectorBuilder().withMatchExpressions(all).build();
    }

    private static LabelSelector selector(LabelSelectorRequirement... requirements) {
        return new LabelSelectorBuilder().withMatchExpressions(requirements).build();
    }

    private static LabelSelectorRequirement req(String key, String operator, String... values) {
        return new LabelSelectorRequirement(key, operator, List.of(values));
    }
}
