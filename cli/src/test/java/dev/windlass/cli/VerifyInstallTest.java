package dev.windlass.cli;

import dev.windlass.cli.WindlassCliTest.Result;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.windlass.cli.WindlassCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code windlass verify-install}: every object the demo profile renders is checked, one ✔ or ✘ line each; a
 * missing object and a Deployment short of ready replicas fail the check.
 */
class VerifyInstallTest {
    private static List<HasMetadata> demo() {
        ValuesOptions values = new ValuesOptions();
        values.profile = "demo";
        return new dev.windlass.profiles.render.MeshRenderer(dev.windlass.upgrade.VersionCatalog.builtIn())
                .render(values.instance(), values.resolve().spec(), "default", true);
    }

    private static HasMetadata ready(HasMetadata object) {
        if (object instanceof Deployment d) {
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            return new DeploymentBuilder(d).withNewStatus().withReadyReplicas(replicas).withUpdatedReplicas(replicas).endStatus().build();
        }
        return object;
    }

    @Test
    void aClusterRunningEverythingRenderedIsVerified() {
        List<HasMetadata> rendered = demo();

        VerifyInstall.Report report = VerifyInstall.check(rendered, VerifyInstallTest::ready);

        assertThat(report.failed()).isZero();
        assertThat(report.text().lines()).hasSize(rendered.size() + 1)
                .contains("✔ Deployment: windlass-discovery.windlass-system checked successfully")
                .last().isEqualTo("✔ Windlass is installed and verified successfully (" + rendered.size() + " objects)");
    }

    @Test
    void aMissingObjectAndAnUnreadyDeploymentFail() {
        List<HasMetadata> rendered = demo();

        VerifyInstall.Report report = VerifyInstall.check(rendered, object -> switch (object.getMetadata().getName()) {
            case "windlass-discovery" -> object instanceof Deployment ? object : ready(object); // no status: 0 ready
            case "windlass-sidecar-injector" -> null;
            default -> ready(object);
        });

        assertThat(report.text())
                .contains("✘ Deployment: windlass-discovery.windlass-system has 0 of 1 replicas ready, 0 up to date\n")
                .contains("✔ Service: windlass-discovery.windlass-system checked successfully\n")
                .contains("✘ ConfigMap: windlass-sidecar-injector.windlass-system is missing\n")
                .endsWith("✘ " + report.failed() + " of " + rendered.size() + " objects failed the check\n");
        assertThat(report.failed()).isEqualTo(2);
    }

    @Test
    void badInputIsNamedWithExitCode2() {
        Result revision = run("verify-install", "--revision", "Bad_Rev", "--kubeconfig=/nonexistent");
        assertThat(revision.code()).isEqualTo(2);
        assertThat(revision.err()).isEqualTo("windlass: --revision: 'Bad_Rev' is not a DNS label of at most 40 characters\n");
        assertThat(run("verify-install", "--kubeconfig=/nonexistent").err()).isEqualTo("windlass: --kubeconfig: /nonexistent: no such file\n");
    }
}
