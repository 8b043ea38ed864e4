package dev.windlass.injector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.windlass.contract.ProxyImage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sidecar injection of one revision: decides per {@link InjectionPolicy}, then adds the injector ConfigMap's
 * template to the pod. A pure function of its inputs; the webhook and {@code windlass kube-inject} both use it.
 * Idempotent: a pod that already carries the status annotation or the proxy container comes back unchanged.
 */
public final class Injector {
    private final InjectorConfig config;
    private final InjectionPolicy policy;
    private final PodMutation mutation;

    /** @param meshNamespace the mesh's own namespace, which is never injected */
    public Injector(InjectorConfig config, String meshNamespace) {
        this(config, meshNamespace, Optional.empty());
    }

    /** @param tag the revision tag the webhook was called for, if any (see {@link InjectionPolicy}) */
    public Injector(InjectorConfig config, String meshNamespace, Optional<String> tag) {
        this.config = config;
        this.policy = new InjectionPolicy(meshNamespace, config.revision(), tag);
        this.mutation = new PodMutation(config);
    }

    /** The decision and the resulting pod: the injected copy, or {@code pod} itself when nothing is injected. */
    public record Result(Decision decision, Pod pod) {
        public boolean injected() {
            return decision.inject();
        }
    }

    /**
     * @param pod       a pod, or a pod template wrapped as one (metadata and spec)
     * @param namespace where the pod is created
     * @throws InjectionException when the pod's annotations ask for something impossible
     */
    public Result inject(Pod pod, NamespaceInfo namespace) {
        if (pod.getMetadata() == null || pod.getSpec() == null) {
            throw new InjectionException("the pod has no metadata or no spec");
        }
        if (alreadyInjected(pod)) {
            return new Result(Decision.no("already injected"), pod);
        }
        Decision decision = policy.decide(pod, namespace);
        return decision.inject() ? new Result(decision, mutation.apply(pod)) : new Result(decision, pod);
    }

    public String revision() {
        return config.revision();
    }

    /** The RFC 6902 patch that turns {@code original} (the JSON the apiserver sent) into {@code injected}. */
    public static ArrayNode patch(JsonNode original, Pod injected) {
        return JsonPatch.diff(original, InjectorJson.JSON.valueToTree(injected));
    }

    static boolean alreadyInjected(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(InjectionNames.STATUS_ANNOTATION)) {
            return true;
        }
        List<Container> containers = pod.getSpec().getContainers();
        return containers != null && containers.stream().anyMatch(c -> ProxyImage.PROXY_CONTAINER.equals(c.getName()));
    }
}
