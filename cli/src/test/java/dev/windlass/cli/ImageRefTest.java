package dev.windlass.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tier 1: image references compare as the container runtime resolves them. */
class ImageRefTest {
    @Test
    void shortNamesGetDockerHubAndLibraryAndLatest() {
        assertThat(ImageRef.parse("windlass/operator:0.2.0")).hasToString("docker.io/windlass/operator:0.2.0");
        assertThat(ImageRef.parse("busybox")).hasToString("docker.io/library/busybox:latest");
        assertThat(ImageRef.parse("index.docker.io/windlass/proxy:0.1.0")).isEqualTo(ImageRef.parse("windlass/proxy:0.1.0"));
    }

    @Test
    void aRegistryIsAFirstPartWithADotAColonOrLocalhost() {
        assertThat(ImageRef.parse("127.0.0.1:1/operator:0.2.0")).isEqualTo(new ImageRef("127.0.0.1:1", "operator", "0.2.0"));
        assertThat(ImageRef.parse("localhost/windlass/operator")).isEqualTo(new ImageRef("localhost", "windlass/operator", "latest"));
        assertThat(ImageRef.parse("registry.example.com:5000/team/windlass/proxy@sha256:abc"))
                .hasToString("registry.example.com:5000/team/windlass/proxy@sha256:abc");
    }

    @Test
    void onlyThisBuildsDefaultNamesAreUnpublished() {
        assertThat(ImageRef.parse("windlass/operator:0.2.0").unpublished()).isTrue();
        assertThat(ImageRef.parse("docker.io/windlass/discovery:0.2.0").unpublished()).isTrue();
        assertThat(ImageRef.parse("127.0.0.1:1/operator:0.2.0").unpublished()).isFalse();
        assertThat(ImageRef.parse("registry.example.com/windlass/operator:0.2.0").unpublished()).isFalse();
        assertThat(ImageRef.parse("docker.io/prom/prometheus:v3.5.0").unpublished()).isFalse();
    }
}
