package dev.windlass.profiles.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;

/**
 * Validation of the traffic API (networking.istio.io) by the discovery server. failurePolicy is Ignore, as in
 * Istio's chart: while the control plane is down, users can still write traffic config, and the discovery
 * server rejects bad config again when it reads it.
 */
final class ValidationWebhook {
    private ValidationWebhook() {
    }

    static String name(MeshContext ctx) {
        return ctx.clusterScoped("windlass-validator");
    }

    static HasMetadata render(MeshContext ctx) {
        return new ValidatingWebhookConfigurationBuilder()
                .withMetadata(ctx.meta(name(ctx), null, "discovery"))
                .addNewWebhook()
                .withName("validation.windlass.dev")
                .withNewClientConfig().withNewService()
                .withName(ctx.discoveryName()).withNamespace(ctx.namespace()).withPath("/validate").withPort(443)
                .endService().endClientConfig()
                .addNewRule().withApiGroups(TrafficApiCrds.GROUP).withApiVersions("*")
                .withResources(TrafficApiCrds.PLURALS).withOperations("CREATE", "UPDATE").endRule()
                .withFailurePolicy("Ignore")
                .withSideEffects("None")
                .withAdmissionReviewVersions("v1")
                .withTimeoutSeconds(10)
                .endWebhook()
                .build();
    }
}
