package dev.windlass.profiles;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.windlass.upgrade.VersionCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.windlass.profiles.ValuesMergeTest.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesResolverTest {
    private final ValuesResolver resolver = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn());

    @Test
    void layersBaseProfilePlatformAndUserSpecInOrder() {
        ResolvedValues values = resolver.resolve(
                new ValuesLayer("mcp.yaml", tree("profile: demo\ncomponents: {discovery: {k8s: {replicas: 3}}}")),
                List.of(), Optional.of("kind"));
        assertThat(values.spec().profile()).isEqualTo("demo");
        assertThat(values.spec().components().discovery().k8s().replicas()).isEqualTo(3);
        assertThat(values.spec().meshConfig().accessLogFile()).isEqualTo("/dev/stdout");
        var ingress = values.spec().components().ingressGateways().getFirst();
        assertThat(ingress.k8s().service().type().name()).isEqualTo("NodePort");
        assertThat(ingress.k8s().service().ports()).extracting("name").contains("http2", "https");
        assertThat(values.spec().namespace()).isEqualTo("windlass-system");
        assertThat(values.spec().version()).isEqualTo(VersionCatalog.builtIn().latest().version().toString());
    }

    @Test
    void gatewaysListedByTheUserGetTheGatewayDefaults() {
        ResolvedValues values = resolver.resolve(new ValuesLayer("mcp.yaml",
                        tree("components: {ingressGateways: [{name: edge, namespace: edge-ns}]}")),
                List.of(), Optional.empty());
        var gateways = values.spec().components().ingressGateways();
        assertThat(gateways).hasSize(1);
        assertThat(gateways.getFirst().enabled()).isTrue();
        assertThat(gateways.getFirst().k8s().service().type().name()).isEqualTo("LoadBalancer");
    }

    @Test
    void setOverridesComeLastAndCanPickTheProfile() {
        ResolvedValues values = resolver.resolve(emptyUser(),
                List.of(SetFlag.parse("profile=minimal"), SetFlag.parse("meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY")),
                Optional.empty());
        assertThat(values.spec().profile()).isEqualTo("minimal");
        assertThat(values.spec().components().ingressGateways()).isEmpty();
        assertThat(values.tree().at("/meshConfig/outboundTrafficPolicy/mode").asText()).isEqualTo("REGISTRY_ONLY");
    }

    @Test
    void aNullInTheUserSpecRemovesAProfileValue() {
        ResolvedValues values = resolver.resolve(new ValuesLayer("mcp.yaml",
                tree("profile: demo\nmeshConfig: {accessLogFile: null}")), List.of(), Optional.empty());
        assertThat(values.tree().at("/meshConfig").has("accessLogFile")).isFalse();
    }

    @Test
    void anUnknownKeyIsNamedWithItsFullPathAndSource() {
        assertThatThrownBy(() -> resolver.resolve(new ValuesLayer("mcp.yaml",
                tree("components: {ingressGateways: [{name: gw, k8s: {replica: 2}}]}")), List.of(), Optional.empty()))
                .isInstanceOf(ValuesException.class)
                .hasMessage("mcp.yaml: components.ingressGateways[0].k8s.replica: unknown key");
    }

    @Test
    void aMistypedValueIsNamedWithItsPath() {
        assertThatThrownBy(() -> resolver.resolve(emptyUser(),
                List.of(SetFlag.parse("components.ingressGateways[0].k8s.replicas=two")), Optional.empty()))
                .hasMessage("--set components.ingressGateways[0].k8s.replicas=two: components.ingressGateways[0].k8s.replicas: "
                        + "must be an integer, got 'two'");
    }

    @Test
    void boundsPatternsAndEnumsFromTheCrdAreEnforced() {
        assertThatThrownBy(() -> resolver.resolve(emptyUser(), List.of(SetFlag.parse("components.discovery.k8s.replicas=-1")),
                Optional.empty())).hasMessageContaining("components.discovery.k8s.replicas: must be at least 0, got -1");
        assertThatThrownBy(() -> resolver.resolve(new ValuesLayer("mcp.yaml", tree("components: {egressGateways: [{name: Bad_Name}]}")),
                List.of(), Optional.empty())).hasMessageContaining("components.egressGateways[0].name: 'Bad_Name' does not match");
        assertThatThrownBy(() -> resolver.resolve(emptyUser(), List.of(SetFlag.parse("updateStrategy.type=Blue")),
                Optional.empty())).hasMessageContaining("updateStrategy.type: 'Blue' is not one of [\"InPlace\",\"RevisionBased\"]");
    }

    @Test
    void unknownProfilePlatformAndVersionAreRefusedWithTheChoices() {
        assertThatThrownBy(() -> resolver.resolve(emptyUser(), List.of(SetFlag.parse("profile=huge")), Optional.empty()))
                .hasMessage("profile: unknown profile 'huge'; known profiles: default, demo, minimal, empty, preview");
        assertThatThrownBy(() -> resolver.resolve(emptyUser(), List.of(), Optional.of("eks")))
                .hasMessage("platform: unknown platform 'eks'; known platforms: kind, local");
        assertThatThrownBy(() -> resolver.resolve(emptyUser(), List.of(SetFlag.parse("version=0.0.1")), Optional.empty()))
                .hasMessage("merged values: version: 0.0.1 is not in the catalog; installable versions: 0.2.0, 0.1.0");
    }

    private static ValuesLayer emptyUser() {
        return new ValuesLayer("flags", JsonNodeFactory.instance.objectNode());
    }
}
