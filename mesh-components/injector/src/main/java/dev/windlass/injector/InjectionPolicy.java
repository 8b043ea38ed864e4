package dev.windlass.injector;

import dev.windlass.contract.Labels;
import dev.windlass.contract.Revisions;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.windlass.contract.Labels.INJECT;

/**
 * Who gets a sidecar (shared/design.md, "Injection"), in the same order as the webhook's selectors in the
 * profiles' InjectionWebhook, so that the webhook and kube-inject agree with what the apiserver sends us:
 * <ol>
 *   <li>never the mesh namespace, kube-system, or a hostNetwork pod (its iptables would be the node's);</li>
 *   <li>a pod label or annotation {@code sidecar.windlass.dev/inject: "false"}, or the namespace label
 *       {@code windlass-injection=disabled}, always wins;</li>
 *   <li>the revision asked for is the namespace's {@code windlass-injection=enabled} (the default revision),
 *       else the namespace's {@code windlass.dev/rev}, else the pod's {@code windlass.dev/rev}, else the default
 *       revision when the pod says {@code inject: "true"};</li>
 *   <li>a pod is injected when that revision is this injector's, or a revision tag this injector answers for
 *       (the tag's webhook calls {@code /inject/tag/<tag>}).</li>
 * </ol>
 */
public final class InjectionPolicy {
    private final String meshNamespace;
    private final String revision;
    private final Optional<String> tag;

    public InjectionPolicy(String meshNamespace, String revision) {
        this(meshNamespace, revision, Optional.empty());
    }

    /** @param tag a revision tag that points at this revision: pods asking for it are injected too */
    public InjectionPolicy(String meshNamespace, String revision, Optional<String> tag) {
        this.meshNamespace = meshNamespace;
        this.revision = Revisions.orDefault(revision);
        this.tag = tag;
    }

    public Decision decide(Pod pod, NamespaceInfo namespace) {
        Map<String, String> labels = orEmpty(pod.getMetadata().getLabels());
        Map<String, String> annotations = orEmpty(pod.getMetadata().getAnnotations());
        if (Set.of("kube-system", meshNamespace).contains(namespace.name())) {
            return Decision.no("namespace " + namespace.name() + " is never injected");
        }
        if (pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return Decision.no("the pod uses the host network");
        }
        if ("false".equals(labels.get(INJECT)) || "false".equals(annotations.get(INJECT))) {
            return Decision.no("the pod says " + INJECT + ": \"false\"");
        }
        Optional<String> wanted = wantedRevision(labels, annotations, namespace);
        if (wanted.isEmpty()) {
            return Decision.no(refusal(namespace));
        }
        if (tag.isPresent() && wanted.get().equals(tag.get())) {
            return Decision.yes("revision tag " + tag.get() + " → revision " + revision);
        }
        if (!wanted.get().equals(revision)) {
            return Decision.no("revision " + wanted.get() + " is asked for; this injector is revision " + revision
                    + tag.map(t -> " (answering for tag " + t + ")").orElse(""));
        }
        return Decision.yes("revision " + revision);
    }

    private static Optional<String> wantedRevision(Map<String, String> labels, Map<String, String> annotations,
                                                   NamespaceInfo namespace) {
        String injection = namespace.labels().get(Labels.NAMESPACE_INJECTION);
        if (injection != null) {
            // "enabled" selects the default revision whatever else is set (as istio-injection does); any other
            // value, "disabled" included, selects nothing.
            return "enabled".equals(injection) ? Optional.of(Revisions.DEFAULT) : Optional.empty();
        }
        if (namespace.labels().containsKey(Labels.REVISION)) {
            return Optional.of(namespace.labels().get(Labels.REVISION));
        }
        if (labels.containsKey(Labels.REVISION)) {
            return Optional.of(labels.get(Labels.REVISION));
        }
        if ("true".equals(labels.get(INJECT)) || "true".equals(annotations.get(INJECT))) {
            return Optional.of(Revisions.DEFAULT);
        }
        return Optional.empty();
    }

    private static String refusal(NamespaceInfo namespace) {
        String injection = namespace.labels().get(Labels.NAMESPACE_INJECTION);
        if (injection != null) {
            return "namespace " + namespace.name() + " has " + Labels.NAMESPACE_INJECTION + "=" + injection;
        }
        return "neither namespace " + namespace.name() + " nor the pod asks for injection";
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
