package dev.windlass.olm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.operator.install.ManagedObjects;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.SetFlag;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.profiles.render.MeshRenderer;
import dev.windlass.profiles.render.OperatorResources;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drift check on the generated CSV itself: OLM gives the operator exactly the CSV's permissions, so the CSV
 * must allow every kind the operator writes (its managed kinds, and every kind the renderer emits for any
 * profile), every permission the Roles it creates grant (Kubernetes lets a subject grant only what it holds),
 * {@code bind} on the bundle's ClusterRoles that its bindings refer to, its own resource, and its leader-election
 * Lease. Tier 3 ({@code OlmPermissionsE2ETest}) proves the same with the
 * real RBAC authorizer.
 */
class CsvRbacDriftTest {
    private static final List<String> WRITE = List.of("get", "list", "watch", "create", "patch", "delete");

    @Test
    void theCsvAllowsEverythingTheOperatorDoes() {
        assertThat(missing(BuiltBundle.clusterRules())).isEmpty();
    }

    @Test
    void theLeaderElectionLeaseIsAllowedInTheOperatorsNamespace() {
        for (String verb : List.of("get", "create", "update")) {
            assertThat(OperatorResources.allows(BuiltBundle.namespaceRules(), "coordination.k8s.io", "leases", verb)).as(verb).isTrue();
        }
    }

    /**
     * The check is sensitive: without any one of the CSV's cluster rules that covers something the operator does,
     * something is refused. (Rules for other resources, a future CRD's say, are left to their own tests.)
     */
    @Test
    void droppingAnyRuleTheOperatorNeedsIsNoticed() {
        List<PolicyRule> rules = BuiltBundle.clusterRules();
        Set<String> required = requirements().stream().map(r -> r.group() + "/" + r.resource()).collect(Collectors.toSet());
        List<Integer> covering = IntStream.range(0, rules.size()).filter(i -> rules.get(i).getApiGroups().stream()
                .anyMatch(g -> rules.get(i).getResources().stream().anyMatch(r -> required.contains(g + "/" + r)))).boxed().toList();
        assertThat(covering).hasSizeGreaterThan(rules.size() / 2);
        for (int i : covering) {
            List<PolicyRule> without = new ArrayList<>(rules);
            without.remove(i);
            assertThat(missing(without)).as("without rule %d %s", i, rules.get(i)).isNotEmpty();
        }
    }

    /** @param name the object's name for rules that name objects; null for any object of the resource */
    record Requirement(String group, String resource, List<String> verbs, String name) {
        Requirement(String group, String resource, List<String> verbs) {
            this(group, resource, verbs, null);
        }
    }

    /** What the operator does that the rules do not allow, one line each. */
    static Set<String> missing(List<PolicyRule> rules) {
        Set<String> missing = new LinkedHashSet<>();
        for (Requirement r : requirements()) {
            r.verbs().stream().filter(verb -> !OperatorResources.allows(rules, r.group(), r.resource(), verb, r.name()))
                    .forEach(verb -> missing.add(verb + " " + r.group() + "/" + r.resource()));
        }
        return missing;
    }

    /** Everything the operator does with the API: what it manages and renders, what its Roles grant, its own resource. */
    static List<Requirement> requirements() {
        List<Requirement> requirements = new ArrayList<>();
        ManagedObjects.KINDS.forEach(kind -> requirements.add(of(kind, "", WRITE)));
        for (String profile : ProfileCatalog.PROFILES) {
            for (HasMetadata object : render(profile)) {
                requirements.add(of(object.getClass(), "", List.of("get", "create")));
                requirements.add(named(object, List.of("patch", "delete")));
                grantedRules(object).forEach(rule -> rule.getApiGroups().forEach(group -> rule.getResources()
                        .forEach(resource -> requirements.add(new Requirement(group, resource, rule.getVerbs())))));
                boundInstallRole(object).ifPresent(name -> requirements.add(
                        new Requirement("rbac.authorization.k8s.io", "clusterroles", List.of("bind"), name)));
            }
        }
        requirements.add(of(MeshControlPlane.class, "", List.of("get", "list", "watch", "patch", "update")));
        requirements.add(of(MeshControlPlane.class, "/status", List.of("get", "patch", "update")));
        requirements.add(of(MeshControlPlane.class, "/finalizers", List.of("update")));
        requirements.add(new Requirement("", "events", List.of("create", "patch")));
        requirements.add(of(EndpointSlice.class, "", List.of("get", "list", "watch")));
        requirements.add(of(Pod.class, "", List.of("list")));
        return requirements;
    }

    private static Requirement named(HasMetadata object, List<String> verbs) {
        Class<? extends HasMetadata> kind = object.getClass();
        return new Requirement(HasMetadata.getGroup(kind), HasMetadata.getPlural(kind), verbs, object.getMetadata().getName());
    }

    private static Requirement of(Class<? extends HasMetadata> kind, String subresource, List<String> verbs) {
        return new Requirement(HasMetadata.getGroup(kind), HasMetadata.getPlural(kind) + subresource, verbs);
    }

    /** A binding to one of the ClusterRoles of the bundle, which the operator binds without holding their rules. */
    private static Optional<String> boundInstallRole(HasMetadata object) {
        RoleRef ref = OperatorResources.roleRef(object).orElse(null);
        return ref != null && ref.getKind().equals("ClusterRole") && BuiltBundle.LAYOUT.readClusterRoles().stream()
                .anyMatch(r -> r.getMetadata().getName().equals(ref.getName())) ? Optional.of(ref.getName()) : Optional.empty();
    }

    /** Every binding of every profile refers to a ClusterRole the mesh renders or the bundle holds. */
    @Test
    void everyClusterRoleAMeshBindsIsRenderedOrInTheBundle() {
        for (String profile : ProfileCatalog.PROFILES) {
            List<HasMetadata> objects = render(profile);
            for (HasMetadata object : objects) {
                RoleRef ref = OperatorResources.roleRef(object).orElse(null);
                if (ref != null && ref.getKind().equals("ClusterRole")) {
                    assertThat(objects.stream().anyMatch(o -> o instanceof ClusterRole && o.getMetadata().getName().equals(ref.getName()))
                            || boundInstallRole(object).isPresent()).as(profile + ": " + object.getMetadata().getName() + " -> " + ref.getName()).isTrue();
                }
            }
        }
    }

    private static List<PolicyRule> grantedRules(HasMetadata object) {
        return object instanceof ClusterRole c ? c.getRules() : object instanceof Role r ? r.getRules() : List.of();
    }

    private static List<HasMetadata> render(String profile) {
        var values = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn()).resolve(
                new ValuesLayer("test", JsonNodeFactory.instance.objectNode()),
                List.of(SetFlag.parse("profile=" + profile)), Optional.empty());
        return new MeshRenderer(VersionCatalog.builtIn()).render("windlass", values.spec(), "default", true);
    }
}
