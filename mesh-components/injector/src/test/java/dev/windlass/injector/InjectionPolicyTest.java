package dev.windlass.injector;

import dev.windlass.contract.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy of shared/design.md, one row per rule; "-" means no label. */
class InjectionPolicyTest {

    @ParameterizedTest(name = "ns={0} nsInjection={1} nsRev={2} podInject={3} podRev={4} injector={5} -> {6}")
    @CsvSource({
            // namespace, ns windlass-injection, ns rev, pod inject label, pod rev label, injector revision, expected
            "shop, enabled, -, -, -, default, true",
            "shop, enabled, -, false, -, default, false",
            "shop, enabled, canary, -, -, canary, false",
            "shop, disabled, -, true, -, default, false",
            "shop, disabled, canary, -, -, canary, false",
            "shop, other, -, true, -, default, false",
            "shop, -, canary, -, -, canary, true",
            "shop, -, canary, -, -, default, false",
            "shop, -, canary, -, other, canary, true",
            "shop, -, -, -, canary, canary, true",
            "shop, -, -, false, canary, canary, false",
            "shop, -, -, true, -, default, true",
            "shop, -, -, true, -, canary, false",
            "shop, -, -, -, -, default, false",
            "kube-system, enabled, -, true, -, default, false",
            "windlass-system, enabled, -, true, -, default, false",
    })
    void decides(String ns, String nsInjection, String nsRev, String podInject, String podRev, String revision,
                 boolean expected) {
        Map<String, String> nsLabels = new HashMap<>();
        put(nsLabels, Labels.NAMESPACE_INJECTION, nsInjection);
        put(nsLabels, Labels.REVISION, nsRev);
        Map<String, String> podLabels = new HashMap<>();
        put(podLabels, Labels.INJECT, podInject);
        put(podLabels, Labels.REVISION, podRev);
        Pod pod = Fixtures.pod("metadata: {name: p}\nspec: {containers: [{name: app}]}");
        pod.getMetadata().setLabels(podLabels);
        Decision decision = new InjectionPolicy("windlass-system", revision).decide(pod, new NamespaceInfo(ns, nsLabels));
        assertThat(decision.inject()).as(decision.reason()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"true, false", "false, true"})
    void theAnnotationCountsLikeTheLabelAndFalseWins(String label, String annotation) {
        Pod pod = Fixtures.pod("metadata: {name: p}\nspec: {containers: [{name: app}]}");
        pod.getMetadata().setLabels(Map.of(Labels.INJECT, label));
        pod.getMetadata().setAnnotations(Map.of(Labels.INJECT, annotation));
        Decision decision = new InjectionPolicy("windlass-system", "").decide(pod, new NamespaceInfo("shop", Map.of()));
        assertThat(decision.inject()).isFalse();
        assertThat(decision.reason()).isEqualTo("the pod says sidecar.windlass.dev/inject: \"false\"");
    }

    @ParameterizedTest
    @CsvSource({"true"})
    void hostNetworkPodsAreNeverInjected(boolean hostNetwork) {
        Pod pod = Fixtures.pod("metadata: {name: p}\nspec: {hostNetwork: " + hostNetwork + ", containers: [{name: app}]}");
        Decision decision = new InjectionPolicy("windlass-system", "default")
                .decide(pod, new NamespaceInfo("shop", Map.of(Labels.NAMESPACE_INJECTION, "enabled")));
        assertThat(decision).isEqualTo(new Decision(false, "the pod uses the host network"));
    }

    @ParameterizedTest(name = "ns={0} nsRev={1} podRev={2} injector mesh-0-2-0 answering for tag {3} -> {4}")
    @CsvSource({
            // ns windlass-injection, ns rev, pod rev label, tag, expected
            "-, prod, -, prod, true",
            "-, -, prod, prod, true",
            "-, mesh-0-2-0, -, prod, true",
            "-, canary, -, prod, false",
            "enabled, -, -, default, true",
            "enabled, -, -, prod, false",
            "disabled, prod, -, prod, false",
    })
    void aTagWebhookInjectsPodsAskingForTheTag(String nsInjection, String nsRev, String podRev, String tag, boolean expected) {
        Map<String, String> nsLabels = new HashMap<>();
        put(nsLabels, Labels.NAMESPACE_INJECTION, nsInjection);
        put(nsLabels, Labels.REVISION, nsRev);
        Map<String, String> podLabels = new HashMap<>();
        put(podLabels, Labels.REVISION, podRev);
        Pod pod = Fixtures.pod("metadata: {name: p}\nspec: {containers: [{name: app}]}");
        pod.getMetadata().setLabels(podLabels);
        Decision decision = new InjectionPolicy("windlass-system", "mesh-0-2-0", Optional.of(tag))
                .decide(pod, new NamespaceInfo("shop", nsLabels));
        assertThat(decision.inject()).as(decision.reason()).isEqualTo(expected);
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (!"-".equals(value)) {
            map.put(key, value);
        }
    }
}
