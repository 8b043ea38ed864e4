package dev.windlass.discovery.security;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Istio's composition of PeerAuthentications for a workload, rule by rule. */
class PeerAuthenticationsTest {
    private static final String ROOT = "windlass-system";
    private static final Map<String, String> HTTPBIN = Map.of("app", "httpbin");

    @Test
    void withoutPoliciesEveryWorkloadIsPermissive() {
        assertThat(PeerAuthentications.EMPTY.forWorkload("foo", HTTPBIN)).isEqualTo(PeerPolicy.PERMISSIVE);
    }

    @Test
    void theNamespaceOverridesTheMeshAndTheWorkloadOverridesTheNamespace() {
        PeerAuthentications policies = new PeerAuthentications(List.of(
                policy(ROOT, "mesh", 1, Map.of(), MtlsMode.STRICT, Map.of()),
                policy("foo", "namespace", 1, Map.of(), MtlsMode.PERMISSIVE, Map.of()),
                policy("bar", "workload", 1, HTTPBIN, MtlsMode.DISABLE, Map.of())), ROOT);

        assertThat(policies.forWorkload("other", HTTPBIN).mode()).isEqualTo(MtlsMode.STRICT);
        assertThat(policies.forWorkload("foo", HTTPBIN).mode()).isEqualTo(MtlsMode.PERMISSIVE);
        assertThat(policies.forWorkload("bar", HTTPBIN).mode()).isEqualTo(MtlsMode.DISABLE);
        assertThat(policies.forWorkload("bar", Map.of("app", "sleep")).mode()).as("the selector does not match").isEqualTo(MtlsMode.STRICT);
    }

    @Test
    void unsetInheritsAndPortLevelModesComeFromTheWorkloadPolicyOnly() {
        Map<Integer, MtlsMode> ports = new HashMap<>();
        ports.put(8080, MtlsMode.DISABLE);
        ports.put(9000, null);
        PeerAuthentications policies = new PeerAuthentications(List.of(
                policy("foo", "namespace", 1, Map.of(), MtlsMode.STRICT, Map.of()),
                policy("foo", "workload", 1, HTTPBIN, null, ports)), ROOT);

        PeerPolicy httpbin = policies.forWorkload("foo", HTTPBIN);
        assertThat(httpbin.mode()).as("UNSET takes the namespace's").isEqualTo(MtlsMode.STRICT);
        assertThat(httpbin.mode(8080)).isEqualTo(MtlsMode.DISABLE);
        assertThat(httpbin.mode(9000)).as("an UNSET port takes the workload's").isEqualTo(MtlsMode.STRICT);
        assertThat(httpbin.mode(80)).isEqualTo(MtlsMode.STRICT);
    }

    @Test
    void theOldestPolicyOfALevelWinsAndRootNamespaceSelectorsStayInTheRootNamespace() {
        PeerAuthentications policies = new PeerAuthentications(List.of(
                policy("foo", "newer", 20, Map.of(), MtlsMode.DISABLE, Map.of()),
                policy("foo", "older", 10, Map.of(), MtlsMode.STRICT, Map.of()),
                policy(ROOT, "root-workload", 1, HTTPBIN, MtlsMode.DISABLE, Map.of())), ROOT);

        assertThat(policies.forWorkload("foo", HTTPBIN).mode()).isEqualTo(MtlsMode.STRICT);
        assertThat(policies.forWorkload("bar", HTTPBIN).mode()).isEqualTo(MtlsMode.PERMISSIVE);
        assertThat(policies.forWorkload(ROOT, HTTPBIN).mode()).isEqualTo(MtlsMode.DISABLE);
    }

    private static PeerAuthentications.Policy policy(String namespace, String name, long created, Map<String, String> selector,
                                                     MtlsMode mode, Map<Integer, MtlsMode> ports) {
        return new PeerAuthentications.Policy(namespace, name, Instant.ofEpochSecond(created), selector, mode, ports);
    }
}
