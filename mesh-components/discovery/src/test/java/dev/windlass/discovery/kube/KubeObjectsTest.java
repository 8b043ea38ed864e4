package dev.windlass.discovery.kube;

import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.Protocol;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeObjectsTest {
    @Test
    void protocolComesFromAppProtocolThenThePortName() {
        assertThat(Protocol.of("http", null)).isEqualTo(Protocol.HTTP);
        assertThat(Protocol.of("http-api", null)).isEqualTo(Protocol.HTTP);
        assertThat(Protocol.of("HTTP2", null)).isEqualTo(Protocol.HTTP2);
        assertThat(Protocol.of("grpc-api", null)).isEqualTo(Protocol.GRPC);
        assertThat(Protocol.of("grpc-web", null)).isEqualTo(Protocol.HTTP);
        assertThat(Protocol.of("httpx", null)).isEqualTo(Protocol.TCP);
        assertThat(Protocol.of("tcp-db", null)).isEqualTo(Protocol.TCP);
        assertThat(Protocol.of("", null)).isEqualTo(Protocol.TCP);
        assertThat(Protocol.of("metrics", "http")).isEqualTo(Protocol.HTTP);
        assertThat(Protocol.of("rpc", "grpc")).isEqualTo(Protocol.GRPC);
        assertThat(Protocol.of("h", "kubernetes.io/h2c")).isEqualTo(Protocol.HTTP2);
        assertThat(Protocol.of("http", "mysql")).isEqualTo(Protocol.HTTP); // unknown appProtocol: the name decides
    }

    @Test
    void externalNameServicesAndUdpPortsAreNotRouted() {
        var external = new ServiceBuilder().withNewMetadata().withName("x").withNamespace("n").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("example.com").endSpec().build();
        var dns = new ServiceBuilder().withNewMetadata().withName("dns").withNamespace("n").endMetadata()
                .withNewSpec().withClusterIP("10.0.0.10")
                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort()
                .addNewPort().withName("dns-tcp").withPort(53).withProtocol("TCP").endPort().endSpec().build();

        assertThat(KubeObjects.service(external)).isEmpty();
        assertThat(KubeObjects.service(dns).orElseThrow().ports()).extracting(p -> p.name()).containsExactly("dns-tcp");
    }

    @Test
    void meshYamlAsTheOperatorRendersIt() {
        String yaml = """
                clusterDomain: cluster.local
                discoveryAddress: windlass-discovery.windlass-system.svc:15012
                meshConfig:
                  accessLogFile: /dev/stdout
                  outboundTrafficPolicy:
                    mode: REGISTRY_ONLY
                revision: default
                """;

        assertThat(MeshConfigParser.parse(yaml))
                .isEqualTo(new MeshSettings(MeshSettings.OutboundPolicy.REGISTRY_ONLY, "cluster.local"));
        assertThat(MeshConfigParser.parse("")).isEqualTo(MeshSettings.DEFAULT);
        assertThat(MeshConfigParser.parse("clusterDomain: corp.example\n").clusterDomain()).isEqualTo("corp.example");
    }

    @Test
    void aBadOutboundPolicyIsNamed() {
        assertThatThrownBy(() -> MeshConfigParser.parse("meshConfig: {outboundTrafficPolicy: {mode: SOMETIMES}}"))
                .hasMessageContaining("meshConfig.outboundTrafficPolicy.mode").hasMessageContaining("SOMETIMES");
    }

    @Test
    void meshConfigMapNameFollowsTheRevision() {
        assertThat(KubeWatcher.meshConfigName("")).isEqualTo("windlass");
        assertThat(KubeWatcher.meshConfigName("default")).isEqualTo("windlass");
        assertThat(KubeWatcher.meshConfigName("canary")).isEqualTo("windlass-canary");
    }
}
