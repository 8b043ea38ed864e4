package dev.windlass.contract;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The naming rules the renderer, the discovery server, the operator and the CLI used to spell each on their own:
 * the discovery server took {@code ""} for the default revision, the renderer only {@code "default"}.
 */
class RevisionsTest {
    @Test
    void theDefaultRevisionNamesObjectsWithoutASuffixHoweverItIsSpelt() {
        assertThat(Revisions.revisioned("windlass-discovery", "default")).isEqualTo("windlass-discovery");
        assertThat(Revisions.revisioned("windlass-discovery", "")).isEqualTo("windlass-discovery");
        assertThat(Revisions.revisioned("windlass-discovery", null)).isEqualTo("windlass-discovery");
        assertThat(Revisions.orDefault("")).isEqualTo(Revisions.DEFAULT);
        assertThat(Revisions.orDefault("canary")).isEqualTo("canary");
    }

    @Test
    void anotherRevisionIsASuffixAndClusterScopedNamesAddTheMeshNamespace() {
        assertThat(Revisions.discoveryName("canary")).isEqualTo("windlass-discovery-canary");
        assertThat(Revisions.clusterScoped(Revisions.INJECTOR, "canary", "mesh-a"))
                .isEqualTo("windlass-sidecar-injector-canary-mesh-a");
        assertThat(Revisions.clusterScoped(Revisions.VALIDATOR, "default", "windlass-system"))
                .isEqualTo("windlass-validator-windlass-system");
    }

    @Test
    void aVersionsRevisionIsTheMeshNameAndTheVersionWithDashes() {
        String revision = Revisions.revisionName("windlass", "0.2.0");
        assertThat(revision).isEqualTo("windlass-0-2-0");
        // A revision is a label value and a DNS label suffix: dots would make the Service name a subdomain.
        assertThat(Revisions.discoveryName(revision)).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }
}
