package dev.windlass.profiles.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The sidecar-injector webhook of one revision. Selection follows shared/design.md: the namespace label
 * windlass-injection=enabled (default revision only), the namespace or pod label windlass.dev/rev=REV, or the pod
 * label sidecar.windlass.dev/inject=true; "disabled" and "false" always win. The caBundle is left out: the
 * discovery server writes it, and the operator does not manage that field.
 */
final class InjectionWebhook {
    static final String INJECTION_LABEL = "windlass-injection";
    static final String INJECT_LABEL = "sidecar.windlass.dev/inject";
    private static final String REV = MeshContext.REVISION_LABEL;

    private InjectionWebhook() {
    }

    static String name(MeshContext ctx) {
        return ctx.clusterScoped("windlass-sidecar-injector");
    }

    static HasMetadata render(MeshContext ctx) {
        List<MutatingWebhook> webhooks = new ArrayList<>();
        String rev = ctx.revision();
        webhooks.add(webhook(ctx, "rev.namespace.sidecar-injector.windlass.dev",
                namespaces(ctx, req(REV, "In", rev), req(INJECTION_LABEL, "DoesNotExist")),
                selector(req(INJECT_LABEL, "NotIn", "false"))));
        webhooks.add(webhook(ctx, "rev.object.sidecar-injector.windlass.dev",
                namespaces(ctx, req(REV, "DoesNotExist"), req(INJECTION_LABEL, "DoesNotExist")),
                selector(req(INJECT_LABEL, "NotIn", "false"), req(REV, "In", rev))));
        if (ctx.isDefaultRevision()) {
            webhooks.add(webhook(ctx, "namespace.sidecar-injector.windlass.dev",
                    namespaces(ctx, req(INJECTION_LABEL, "In", "enabled")),
                    selector(req(INJECT_LABEL, "NotIn", "false"))));
            webhooks.add(webhook(ctx, "object.sidecar-injector.windlass.dev",
                    namespaces(ctx, req(INJECTION_LABEL, "DoesNotExist"), req(REV, "DoesNotExist")),
                    selector(req(INJECT_LABEL, "In", "true"), req(REV, "DoesNotExist"))));
        }
        return new MutatingWebhookConfigurationBuilder()
                .withMetadata(ctx.meta(name(ctx), null, "injector"))
                .withWebhooks(webhooks)
                .build();
    }

    private static MutatingWebhook webhook(MeshContext ctx, String name, LabelSelector namespaces, LabelSelector objects) {
        return new MutatingWebhookBuilder()
                .withName(name)
                .withNewClientConfig().withNewService()
                .withName(ctx.discoveryName()).withNamespace(ctx.namespace()).withPath("/inject").withPort(443)
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
    static LabelSelector namespaces(MeshContext ctx, LabelSelectorRequirement... requirements) {
        List<LabelSelectorRequirement> all = new ArrayList<>(List.of(requirements));
        all.add(new LabelSelectorRequirement("kubernetes.io/metadata.name", "NotIn", List.of("kube-system", ctx.namespace())));
        return new LabelSelectorBuilder().withMatchExpressions(all).build();
    }

    private static LabelSelector selector(LabelSelectorRequirement... requirements) {
        return new LabelSelectorBuilder().withMatchExpressions(requirements).build();
    }

    private static LabelSelectorRequirement req(String key, String operator, String... values) {
        return new LabelSelectorRequirement(key, operator, List.of(values));
    }
}
