package dev.windlass.profiles;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.windlass.upgrade.VersionCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static dev.windlass.profiles.ValuesMergeTest.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the CEL rules refuse at admission is refused offline too, naming the source and the path. */
class UnsupportedSettingsTest {
    private final ValuesResolver resolver = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn());

    @Test
    void aTracingSamplingRateIsRefusedSinceNothingTraces() {
        assertThatThrownBy(() -> resolve("meshConfig: {tracing: {sampling: 100}}"))
                .hasMessage("mcp.yaml: not supported by Windlass: meshConfig.tracing.sampling: Windlass does not trace requests yet;"
                        + " leave it out or set it to 0");
        assertThatThrownBy(() -> resolver.resolve(new ValuesLayer("flags", JsonNodeFactory.instance.objectNode()),
                List.of(SetFlag.parse("meshConfig.tracing.sampling=0.5")), Optional.empty()))
                .hasMessageStartingWith("--set meshConfig.tracing.sampling=0.5: not supported by Windlass: meshConfig.tracing.sampling");
    }

    @Test
    void aZeroSamplingRateIsWhatHappensAnywayAndIsAccepted() {
        assertThat(resolve("meshConfig: {tracing: {sampling: 0}}").tree().at("/meshConfig/tracing/sampling").asDouble()).isZero();
    }

    @Test
    void noProfileSetsASamplingRate() {
        for (String profile : ProfileCatalog.PROFILES) {
            assertThat(resolve("profile: " + profile).tree().at("/meshConfig/tracing").isMissingNode()).as(profile).isTrue();
        }
    }

    @Test
    void experimentalFlagsAreRefusedSinceThisVersionHasNone() {
        assertThatThrownBy(() -> resolve("values: {experimental: {deltaXds: true}}"))
                .hasMessage("mcp.yaml: not supported by Windlass: values.experimental: this version has no experimental features;"
                        + " leave it out");
    }

    @Test
    void theDiscoveryServiceIsFixedSoItsSettingsAreRefused() {
        assertThatThrownBy(() -> resolve("components: {discovery: {k8s: {service: {type: LoadBalancer}}}}"))
                .hasMessage("mcp.yaml: not supported by Windlass: components.discovery.k8s.service: the discovery Service is a"
                        + " ClusterIP Service with fixed ports; leave it out");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROXY_CONCURRENCY", "ACCESS_LOG_ENCODING", "POD_NAME"})
    void proxyMetadataMayNotSetWhatWindlassSetsFromTypedSettings(String name) {
        assertThatThrownBy(() -> resolve("meshConfig: {defaultConfig: {proxyMetadata: {" + name + ": x}}}"))
                .hasMessage("mcp.yaml: meshConfig.defaultConfig.proxyMetadata." + name + ": Windlass sets " + name
                        + " itself, from the mesh's typed settings; set those instead");
    }

    @Test
    void proxyMetadataNamesMustBeEnvironmentVariableNames() {
        assertThatThrownBy(() -> resolve("meshConfig: {defaultConfig: {proxyMetadata: {1BAD: x}}}"))
                .hasMessageStartingWith("mcp.yaml: meshConfig.defaultConfig.proxyMetadata.1BAD: not an environment variable name");
    }

    private ResolvedValues resolve(String yaml) {
        return resolver.resolve(new ValuesLayer("mcp.yaml", tree(yaml)), List.of(), Optional.empty());
    }
}
