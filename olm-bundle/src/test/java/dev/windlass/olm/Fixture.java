package dev.windlass.olm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.windlass.profiles.Profile;
import dev.windlass.upgrade.MeshVersion;
import dev.windlass.upgrade.SemVer;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Fixed bundle inputs, so that the golden files check the generator and change only with it. */
final class Fixture {
    static final Path DIRECTORY = Path.of("src/test/resources/fixture");

    private Fixture() {
    }

    static BundleInputs inputs() {
        Release release = new Release("1.2.3", List.of("stable", "candidate"), "stable", "example-operator.v1.2.2", ">=1.1.0 <1.2.3");
        return new BundleInputs("example-operator", release, "example/operator:1.2.3",
                List.of(read("widgets.example.dev.yaml", CustomResourceDefinition.class)),
                read("deployment.yaml", Deployment.class),
                List.of(new PolicyRuleBuilder().withApiGroups("example.dev").withResources("widgets")
                        .withVerbs("get", "list", "watch").build(),
                        new PolicyRuleBuilder().withApiGroups("rbac.authorization.k8s.io").withResources("clusterroles")
                                .withResourceNames("example-credentials").withVerbs("bind").build()),
                List.of(new PolicyRuleBuilder().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "create", "update").build()),
                List.of(new ClusterRoleBuilder().withNewMetadata().withName("example-credentials").endMetadata()
                        .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("secrets").withVerbs("get").build()).build()),
                VersionCatalog.of(List.of(meshVersion("1.1.0", "1.0.0"), meshVersion("1.2.0", "1.1.0"))).versions(),
                List.of(profile("default", "Everything a production mesh needs."), profile("minimal", "The control plane only.")));
    }

    private static MeshVersion meshVersion(String version, String from) {
        return new MeshVersion(SemVer.parse(version), SemVer.parse(from), new MeshVersion.Images(
                "example/discovery:" + version, "example/proxy:" + version, "example/prometheus:v3", null, null, null), null);
    }

    private static Profile profile(String name, String description) {
        return new Profile(name, description, JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode());
    }

    static <T> T read(String file, Class<T> type) {
        try (InputStream in = Files.newInputStream(DIRECTORY.resolve(file))) {
            return Serialization.unmarshal(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
