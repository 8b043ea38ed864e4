package dev.windlass.profiles.render;

import dev.windlass.contract.Revisions;
import dev.windlass.traffic.istio.IstioKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;

import java.util.Arrays;

/**
 * Validation of Istio's APIs (networking.istio.io and security.istio.io, every served version) by the discovery server's
 * {@code /validate}: Istio's rules, and every field Windlass does not implement refused by name. The caBundle is
 * left out: the discovery server writes it, and the operator does not manage that field.
 *
 * <p>failurePolicy is Fail, Istio's choice once its webhook is ready: config that was never checked is never
 * stored. Why this cannot deadlock an install or an uninstall:
 * <ul>
 *   <li>It is applied only once the discovery server answers: it is in the operator's WEBHOOKS phase, which
 *       follows the DISCOVERY phase only when the discovery Deployment is Available (InstallPhase), as the
 *       injection webhook does.</li>
 *   <li>It never matches the operator's own writes: the operator writes no Istio objects (the CRDs
 *       are apiextensions.k8s.io). The rule names the main resources only, and a rule matches a subresource only
 *       when it names it ({@code virtualservices/status}), so the discovery server's status writes are never sent
 *       here (the apiserver test proves it).</li>
 *   <li>It never blocks a deletion: DELETE is not among its operations, so deleting Istio resources, their
 *       namespaces or the CRDs themselves never calls it; and a match condition leaves out updates of objects that
 *       are being deleted, so a controller's finalizer removal never waits for a webhook that may be gone.</li>
 *   <li>On uninstall and pruning it goes before the discovery Deployment: both delete in ManagedObjects.KINDS
 *       order, webhook configurations first.</li>
 * </ul>
 * Until the discovery server has written the caBundle (moments after the object appears) calls fail TLS and
 * traffic-API writes are refused; no install or uninstall step makes one. A revision-based mesh renders one per
 * revision, each calling its own discovery server, so a write passes only when every running revision accepts it.
 */
public final class ValidationWebhook {
    /** Leaves out updates of objects being deleted: removing a finalizer must work with the webhook down. */
    static final String NOT_BEING_DELETED = "!has(object.metadata.deletionTimestamp)";

    private ValidationWebhook() {
    }

    static String name(MeshContext ctx) {
        return name(ctx.revision(), ctx.namespace());
    }

    /** The validating webhook configuration of a revision, whose caBundle that revision's discovery server writes. */
    public static String name(String revision, String namespace) {
        return Revisions.clusterScoped(Revisions.VALIDATOR, revision, namespace);
    }

    private static RuleWithOperations rule(IstioKind.ApiGroup group) {
        return new RuleWithOperationsBuilder().withApiGroups(group.groupName()).withApiVersions(group.versions())
                .withResources(group.plurals()).withOperations("CREATE", "UPDATE").withScope("Namespaced").build();
    }

    static HasMetadata render(MeshContext ctx) {
        return new ValidatingWebhookConfigurationBuilder()
                .withMetadata(ctx.meta(name(ctx), null, "discovery"))
                .addNewWebhook()
                .withName("validation.windlass.dev")
                .withNewClientConfig().withNewService()
                .withName(ctx.discoveryName()).withNamespace(ctx.namespace()).withPath("/validate").withPort(443)
                .endService().endClientConfig()
                .withRules(Arrays.stream(IstioKind.ApiGroup.values()).map(ValidationWebhook::rule).toList())
                .addNewMatchCondition().withName("not-being-deleted").withExpression(NOT_BEING_DELETED).endMatchCondition()
                .withFailurePolicy("Fail")
                .withSideEffects("None")
                .withAdmissionReviewVersions("v1")
                .withTimeoutSeconds(10)
                .endWebhook()
                .build();
    }
}
