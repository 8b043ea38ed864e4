package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A spec Java cannot read must not fail the list it arrives in: the informer's list holds every mesh. */
class SpecReaderTest {
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void oneUnreadableSpecLeavesTheOthersReadable() {
        String list = """
                {"apiVersion": "mesh.windlass.dev/v1alpha1", "kind": "MeshControlPlaneList", "items": [
                  {"apiVersion": "mesh.windlass.dev/v1alpha1", "kind": "MeshControlPlane", "metadata": {"name": "bad"},
                   "spec": {"version": "0.2.0", "components": {"discovery": {"k8s": {"replicas": 2147483648}}}}},
                  {"apiVersion": "mesh.windlass.dev/v1alpha1", "kind": "MeshControlPlane", "metadata": {"name": "good"},
                   "spec": {"version": "0.2.0", "profile": "demo"}}]}
                """;
        List<MeshControlPlane> items = serialization.unmarshal(new java.io.ByteArrayInputStream(list.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new TypeReference<DefaultKubernetesResourceList<MeshControlPlane>>() { }).getItems();

        assertThat(items.get(0).getSpec()).isNull();
        assertThat(items.get(0).specError()).hasValueSatisfying(error -> assertThat(error)
                .startsWith("spec.components.discovery.k8s.replicas: ").contains("2147483648"));
        assertThat(items.get(1).specError()).isEmpty();
        assertThat(items.get(1).getSpec().profile()).isEqualTo("demo");
    }

    @Test
    void namesListElementsByIndex() {
        MeshControlPlane mcp = serialization.unmarshal("""
                {"apiVersion": "mesh.windlass.dev/v1alpha1", "kind": "MeshControlPlane", "metadata": {"name": "m"},
                 "spec": {"components": {"ingressGateways": [{"name": "a"}, {"name": "b", "k8s": {"replicas": "many"}}]}}}
                """, MeshControlPlane.class);
        assertThat(mcp.specError()).hasValueSatisfying(error -> assertThat(error)
                .startsWith("spec.components.ingressGateways[1].k8s.replicas: "));
    }

    @Test
    void writesTheSpecBackUnchanged() {
        MeshControlPlane mcp = new MeshControlPlane();
        mcp.setSpec(new MeshControlPlaneSpec("0.2.0", "demo", null, null, null, null, null, null));
        String json = serialization.asJson(mcp);
        assertThat(json).contains("\"spec\":{\"version\":\"0.2.0\",\"profile\":\"demo\"}");
        assertThat(serialization.unmarshal(json, MeshControlPlane.class).getSpec()).isEqualTo(mcp.getSpec());
    }
}
