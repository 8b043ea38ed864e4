package dev.windlass.profiles.render;

import dev.windlass.contract.Labels;
import dev.windlass.contract.MeshIdentity;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static dev.windlass.profiles.render.DiscoveryRbac.rule;

/**
 * The operator's own installation: namespace, identity, least-privilege RBAC and Deployment. The CLI's
 * {@code install} applies these, and the OLM bundle's CSV is generated from them, so there is one definition.
 *
 * <p>RBAC: full control of the kinds the operator manages and nothing else, plus exactly the permissions that the
 * Roles it creates grant ({@link #GRANTED}), because Kubernetes lets a subject grant only what it holds. Secrets are
 * the exception: the operator never reads one, so the access that gateways and the discovery server need is in two
 * fixed ClusterRoles of this install ({@link #boundRoles()}), which the operator may only {@code bind}, by name, in
 * the namespaces it chooses. It holds no {@code escalate} and no other {@code bind}.
 */
public final class OperatorResources {
    public static final String NAME = "windlass-operator";
    public static final String NAMESPACE = "windlass-operator";
    /** Bound in each gateway's namespace: gateways read their credentialName Secrets themselves. */
    public static final String GATEWAY_CREDENTIALS_ROLE = "windlass-gateway-credentials";
    /** Bound in each mesh namespace: the discovery server reads its CA Secret, by name, and creates it when absent. */
    public static final String DISCOVERY_CA_ROLE = "windlass-discovery-ca";
    private static final List<String> MANAGE = List.of("get", "list", "watch", "create", "update", "patch", "delete");
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final String VERSION = readVersion();

    /** The rules of the Roles and ClusterRoles the renderer creates, for any profile (checked by a unit test). */
    static final List<PolicyRule> GRANTED = List.of(
            rule("", List.of("services", "endpoints", "pods", "namespaces", "nodes", "configmaps"), READ),
            rule("discovery.k8s.io", List.of("endpointslices"), READ),
            // sidecars: Kiali reads every kind of the group, and the operator must hold what it grants.
            rule("networking.istio.io", List.of("virtualservices", "destinationrules", "gateways", "serviceentries",
                    "sidecars"), READ),
            rule("networking.istio.io", List.of("virtualservices/status", "destinationrules/status", "gateways/status",
                    "serviceentries/status"), List.of("get", "update", "patch")),
            rule("security.istio.io", List.of("peerauthentications", "authorizationpolicies", "requestauthentications"), READ),
            rule("security.istio.io", List.of("peerauthentications/status", "authorizationpolicies/status",
                        "requestauthentications/status"), List.of("get", "update", "patch")),
            rule("authentication.k8s.io", List.of("tokenreviews"), List.of("create")),
            rule("coordination.k8s.io", List.of("leases"), List.of("get", "create", "update")),
            rule("apps", List.of("deployments", "replicasets", "statefulsets"), READ));

    private OperatorResources() {
    }

    /** Whether the rules allow a verb on a resource of an API group ("*" wildcards included). */
    public static boolean allows(List<PolicyRule> rules, String group, String resource, String verb) {
        return allows(rules, group, resource, verb, null);
    }

    /** As the RBAC authorizer decides: a rule that names objects covers a request for one of them, by name. */
    public static boolean allows(List<PolicyRule> rules, String group, String resource, String verb, String name) {
        return rules.stream().anyMatch(r -> matches(r.getApiGroups(), group) && matches(r.getResources(), resource)
                && matches(r.getVerbs(), verb) && (r.getResourceNames() == null || r.getResourceNames().isEmpty()
                || r.getResourceNames().contains(name)));
    }

    /** The role that a RoleBinding or ClusterRoleBinding refers to; empty for any other object. */
    public static Optional<RoleRef> roleRef(HasMetadata object) {
        return Optional.ofNullable(object instanceof RoleBinding b ? b.getRoleRef() : object instanceof ClusterRoleBinding b ? b.getRoleRef() : null);
    }

    private static boolean matches(List<String> allowed, String value) {
        return allowed != null && (allowed.contains(value) || allowed.contains("*"));
    }

    /** This build's version, which is also the operator image's tag. */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = OperatorResources.class.getResourceAsStream("build.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    public static String image(Optional<String> hub) {
        return hub.orElse("windlass") + "/operator:" + version();
    }

    /** @param platform a platform overlay the operator applies to every mesh (kind, local), if any */
    public static List<HasMetadata> render(String image, Optional<String> platform) {
        List<HasMetadata> objects = new ArrayList<>(List.of(
                new NamespaceBuilder().withMetadata(meta(NAME, null)).build(),
                new ServiceAccountBuilder().withMetadata(meta(NAME, NAMESPACE)).build(),
                new ClusterRoleBuilder().withMetadata(meta(NAME, null)).withRules(clusterRules()).build()));
        objects.addAll(boundRoles());
        objects.addAll(List.of(
                new ClusterRoleBindingBuilder().withMetadata(meta(NAME, null))
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", NAME)
                        .addNewSubject().withKind("ServiceAccount").withName(NAME).withNamespace(NAMESPACE).endSubject().build(),
                new RoleBuilder().withMetadata(meta(NAME, NAMESPACE)).withRules(namespaceRules()).build(),
                new RoleBindingBuilder().withMetadata(meta(NAME, NAMESPACE))
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", NAME)
                        .addNewSubject().withKind("ServiceAccount").withName(NAME).withNamespace(NAMESPACE).endSubject().build(),
                deployment(image, platform)));
        return List.copyOf(objects);
    }

    /**
     * The ClusterRoles that the operator binds but does not hold: installed with it (by {@code windlass install}, and
     * as plain manifests of the OLM bundle), never by the operator, which could not grant their Secret access.
     */
    public static List<ClusterRole> boundRoles() {
        return List.of(
                new ClusterRoleBuilder().withMetadata(meta(GATEWAY_CREDENTIALS_ROLE, null))
                        .withRules(rule("", List.of("secrets"), READ)).build(),
                new ClusterRoleBuilder().withMetadata(meta(DISCOVERY_CA_ROLE, null)).withRules(
                        new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
                                .withResourceNames(MeshIdentity.CA_SECRET).withVerbs("get").build(),
                        // create cannot be narrowed to a name; the binding narrows it to the mesh namespace
                        rule("", List.of("secrets"), List.of("create"))).build());
    }

    /** Cluster-wide, because meshes and their gateways live in namespaces of the user's choosing. */
    public static List<PolicyRule> clusterRules() {
        List<PolicyRule> rules = new ArrayList<>(List.of(
                rule("mesh.windlass.dev", List.of("meshcontrolplanes"), List.of("get", "list", "watch", "patch", "update")),
                rule("mesh.windlass.dev", List.of("meshcontrolplanes/status"), List.of("get", "patch", "update")),
                rule("mesh.windlass.dev", List.of("meshcontrolplanes/finalizers"), List.of("update")),
                // Revisions are the operator's own objects; tags are the user's, of which it writes only the status.
                rule("mesh.windlass.dev", List.of("meshrevisions"), MANAGE),
                rule("mesh.windlass.dev", List.of("meshrevisions/status", "meshrevisiontags/status"), List.of("get", "patch", "update")),
                rule("mesh.windlass.dev", List.of("meshrevisiontags"), READ),
                rule("", List.of("configmaps", "services", "serviceaccounts", "namespaces"), MANAGE),
                rule("apps", List.of("deployments"), MANAGE),
                rule("policy", List.of("poddisruptionbudgets"), MANAGE),
                rule("autoscaling", List.of("horizontalpodautoscalers"), MANAGE),
                rule("rbac.authorization.k8s.io", List.of("roles", "rolebindings", "clusterroles", "clusterrolebindings"), MANAGE),
                // bind, not hold: the gateways' and the discovery server's Secret access (boundRoles())
                new PolicyRuleBuilder().withApiGroups("rbac.authorization.k8s.io").withResources("clusterroles")
                        .withResourceNames(GATEWAY_CREDENTIALS_ROLE, DISCOVERY_CA_ROLE).withVerbs("bind").build(),
                rule("admissionregistration.k8s.io", List.of("mutatingwebhookconfigurations", "validatingwebhookconfigurations"), MANAGE),
                // The policy that keeps users from writing a revision-based mesh's MeshRevisions.
                rule("admissionregistration.k8s.io", List.of("validatingadmissionpolicies", "validatingadmissionpolicybindings"), MANAGE),
                // Traffic-API CRDs: created when absent, deleted only on purge; never updated. Patch (server-side
                // apply) and delete name them: no other CRD on the cluster can be changed or removed.
                rule("apiextensions.k8s.io", List.of("customresourcedefinitions"), List.of("get", "list", "watch", "create")),
                new PolicyRuleBuilder().withApiGroups("apiextensions.k8s.io").withResources("customresourcedefinitions")
                        .withResourceNames(TrafficApiCrds.render().stream().map(crd -> crd.getMetadata().getName()).toList())
                        .withVerbs("patch", "delete").build(),
                rule("", List.of("events"), List.of("create", "patch"))));
        rules.addAll(GRANTED);
        return rules;
    }

    /** The leader-election Lease, in the operator's own namespace only. */
    public static List<PolicyRule> namespaceRules() {
        return List.of(rule("coordination.k8s.io", List.of("leases"), List.of("get", "list", "watch", "create", "update", "patch", "delete")));
    }

    private static Deployment deployment(String image, Optional<String> platform) {
        List<EnvVar> env = new ArrayList<>(List.of(
                fieldEnv("POD_NAME", "metadata.name"), fieldEnv("POD_NAMESPACE", "metadata.namespace")));
        platform.ifPresent(p -> env.add(new EnvVarBuilder().withName("WINDLASS_PLATFORM").withValue(p).build()));
        Map<String, String> selector = Map.of(Labels.NAME, NAME);
        return new DeploymentBuilder().withMetadata(meta(NAME, NAMESPACE))
                // Recreate: a new pod is ready only once it leads, which it cannot while the old one holds the
                // Lease, so a rolling update would wait for it forever.
                .withNewSpec().withReplicas(1).withNewStrategy().withType("Recreate").endStrategy()
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels()).endMetadata()
                .withNewSpec().withServiceAccountName(NAME).withSecurityContext(PodSecurity.pod())
                .withContainers(new ContainerBuilder().withName("operator").withImage(image).withImagePullPolicy("IfNotPresent")
                        .withEnv(env).addNewPort().withName("http").withContainerPort(8080).endPort()
                        .withLivenessProbe(probe("/q/health/live")).withReadinessProbe(probe("/q/health/ready"))
                        .withNewResources()
                        .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("192Mi")))
                        .withLimits(Map.of("memory", new Quantity("512Mi")))
                        .endResources()
                        .withSecurityContext(PodSecurity.container()).build())
                .endSpec().endTemplate().endSpec().build();
    }

    private static Probe probe(String path) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withNewPort("http").endHttpGet()
                .withPeriodSeconds(10).withFailureThreshold(3).build();
    }

    private static EnvVar fieldEnv(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path).endFieldRef().endValueFrom().build();
    }

    private static ObjectMeta meta(String name, String namespace) {
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels()).build();
    }

    private static Map<String, String> labels() {
        return Map.of(Labels.NAME, NAME, Labels.PART_OF, "windlass",
                Labels.COMPONENT, "operator", Labels.VERSION, version());
    }
}
