package dev.windlass.profiles.render;

import dev.windlass.contract.Revisions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

import java.util.List;

/**
 * The discovery server's identity and permissions: read the service registry and the traffic API cluster-wide,
 * patch only its own webhook configurations (the caBundle), and keep its CA Secret in its own namespace
 * ({@link OperatorResources#DISCOVERY_CA_ROLE}, bound there).
 */
final class DiscoveryRbac {
    static final String COMPONENT = "discovery";
    private static final List<String> READ = List.of("get", "list", "watch");

    private DiscoveryRbac() {
    }

    static String clusterRoleName(MeshContext ctx) {
        return ctx.clusterScoped(Revisions.DISCOVERY);
    }

    static List<HasMetadata> render(MeshContext ctx) {
        String name = ctx.discoveryName();
        String clusterName = clusterRoleName(ctx);
        return List.of(
                new ServiceAccountBuilder().withMetadata(ctx.meta(name, ctx.namespace(), COMPONENT)).build(),
                new ClusterRoleBuilder().withMetadata(ctx.meta(clusterName, null, COMPONENT)).withRules(clusterRules(ctx)).build(),
                new ClusterRoleBindingBuilder().withMetadata(ctx.meta(clusterName, null, COMPONENT))
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterName)
                        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(ctx.namespace()).endSubject()
                        .build(),
                new RoleBuilder().withMetadata(ctx.meta(name, ctx.namespace(), COMPONENT)).withRules(namespaceRules()).build(),
                new RoleBindingBuilder().withMetadata(ctx.meta(name, ctx.namespace(), COMPONENT))
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(ctx.namespace()).endSubject()
                        .build(),
                // its CA Secret: the operator install's ClusterRole, which the operator may bind but does not hold
                new RoleBindingBuilder().withMetadata(ctx.meta(caBindingName(ctx), ctx.namespace(), COMPONENT))
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", OperatorResources.DISCOVERY_CA_ROLE)
                        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(ctx.namespace()).endSubject()
                        .build());
    }

    private static String caBindingName(MeshContext ctx) {
        return ctx.discoveryName() + "-ca";
    }

    private static List<PolicyRule> clusterRules(MeshContext ctx) {
        return List.of(
                rule("", List.of("services", "endpoints", "pods", "namespaces", "nodes", "configmaps"), READ),
                // the CA root ConfigMap the proxies of every namespace mount (CaRootPublisher)
                rule("", List.of("configmaps"), List.of("create", "update")),
                rule("discovery.k8s.io", List.of("endpointslices"), READ),
                rule("networking.istio.io", List.of("virtualservices", "destinationrules", "gateways", "serviceentries"), READ),
                rule("networking.istio.io", List.of("virtualservices/status", "destinationrules/status", "gateways/status",
                        "serviceentries/status"), List.of("get", "update", "patch")),
                rule("security.istio.io", List.of("peerauthentications", "authorizationpolicies", "requestauthentications"), READ),
                rule("security.istio.io", List.of("peerauthentications/status", "authorizationpolicies/status",
                        "requestauthentications/status"), List.of("get", "update", "patch")),
                rule("admissionregistration.k8s.io", List.of("mutatingwebhookconfigurations", "validatingwebhookconfigurations"), READ),
                new PolicyRuleBuilder().withApiGroups("admissionregistration.k8s.io")
                        .withResources("mutatingwebhookconfigurations", "validatingwebhookconfigurations")
                        .withResourceNames(InjectionWebhook.name(ctx), ValidationWebhook.name(ctx))
                        .withVerbs("update", "patch").build(),
                rule("authentication.k8s.io", List.of("tokenreviews"), List.of("create")));
    }

    private static List<PolicyRule> namespaceRules() {
        return List.of(rule("coordination.k8s.io", List.of("leases"), List.of("get", "create", "update")));
    }

    static PolicyRule rule(String apiGroup, List<String> resources, List<String> verbs) {
        return new PolicyRuleBuilder().withApiGroups(apiGroup).withResources(resources).withVerbs(verbs).build();
    }
}
