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
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drift check on the generated CSV itself: OLM gives the operator exactly the CSV's permissions, so the CSV
 * must allow every kind the operator writes (its managed kinds, and every kind the renderer emits for any
 * profile), every permission the Roles it creates grant (Kubernetes lets a subject grant only what it holds), its
 * own resource, and its leader-election Lease. Tier 3 ({@code OlmPermissionsE2ETest}) proves the same with the
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

    /** The check is sensitive: without any one of the CSV's cluster rules, something the operator does is refused. */
    @Test
    void everyClusterRuleIsNeededAndItsAbsenceIsNoticed() {
        List<PolicyRule> rules = BuiltBundle.clusterRules();
        IntStream.range(0, rules.size()).forEach(i -> {
            List<PolicyRule> without = new ArrayList<>(rules);
            without.remove(i);
            assertThat(missing(without)).as("without rule %d %s", i, rules.get(i)).isNotEmpty();
        });
    }

    /** What the operator does that the rules do not allow, one line each. */
    static Set<String> missing(List<PolicyRule> rules) {
        Set<String> missing = new LinkedHashSet<>();
        ManagedObjects.KINDS.forEach(kind -> require(rules, HasMetadata.getGroup(kind), HasMetadata.getPlural(kind), WRITE, missing));
        for (String profile : ProfileCatalog.PROFILES) {
            for (HasMetadata object : render(profile)) {
                require(rules, HasMetadata.getGroup(object.getClass()), HasMetadata.getPlural(object.getClass()),
                        List.of("get", "create", "patch", "delete"), missing);
                grantedRules(object).forEach(rule -> rule.getApiGroups().forEach(group -> rule.getResources()
                        .forEach(resource -> require(rules, group, resource, rule.getVerbs(), missing))));
            }
        }
        String group = MeshControlPlane.GROUP;
        String plural = HasMetadata.getPlural(MeshControlPlane.class);
        require(rules, group, plural, List.of("get", "list", "watch", "patch", "update"), missing);
        require(rules, group, plural + "/status", List.of("get", "patch", "update"), missing);
        require(rules, group, plural + "/finalizers", List.of("update"), missing);
        require(rules, "", "events", List.of("create", "patch"), missing);
        require(rules, HasMetadata.getGroup(EndpointSlice.class), HasMetadata.getPlural(EndpointSlice.class), List.of("get", "list", "watch"), missing);
        require(rules, "", HasMetadata.getPlural(Pod.class), List.of("list"), missing);
        return missing;
    }

    private static List<PolicyRule> grantedRules(HasMetadata object) {
        return object instanceof ClusterRole c ? c.getRules() : object instanceof Role r ? r.getRules() : List.of();
    }

    private static void require(List<PolicyRule> rules, String group, String resource, List<String> verbs, Set<String> missing) {
        verbs.stream().filter(verb -> !OperatorResources.allows(rules, group, resource, verb))
                .forEach(verb -> missing.add(verb + " " + group + "/" + resource));
    }

    private static List<HasMetadata> render(String profile) {
        var values = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn()).resolve(
                new ValuesLayer("test", JsonNodeFactory.instance.objectNode()),
                List.of(SetFlag.parse("profile=" + profile)), Optional.empty());
        return new MeshRenderer(VersionCatalog.builtIn()).render("windlass", values.spec(), "default", true);
    }
}
