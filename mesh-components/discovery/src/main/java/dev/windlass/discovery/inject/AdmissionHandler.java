package dev.windlass.discovery.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.injector.InjectionException;
import dev.windlass.injector.Injector;
import dev.windlass.injector.InjectorConfig;
import dev.windlass.injector.InjectorJson;
import dev.windlass.injector.NamespaceInfo;
import io.fabric8.kubernetes.api.model.Pod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One AdmissionReview (admission.k8s.io/v1) in, its answer out; no sockets, so that it is tested directly.
 *
 * <p>Answers, by case: an injected pod is allowed with a base64 JSONPatch; a pod the policy skips, or that is
 * already injected, is allowed unchanged; a pod whose annotations cannot be honoured (a malformed
 * {@code sidecar.windlass.dev/proxyCPU}, ...) is refused with a message naming the annotation, as Istio does;
 * any other failure (no injector ConfigMap, a bug) lets the pod through without a sidecar, logged at ERROR,
 * counted as {@code windlass_discovery_injections_total{result="error"}} and shown to the client as an admission
 * warning. Why not refuse: the apiserver already refuses pods when we are unreachable (failurePolicy Fail);
 * refusing on our own bugs as well would stop every workload in labelled namespaces, including the mesh's
 * repairs, on one bad template. The README compares the two.
 */
public final class AdmissionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);
    private final Supplier<Optional<InjectorConfig>> config;
    private final Function<String, Map<String, String>> namespaceLabels;
    private final String meshNamespace;
    private final Metrics metrics;

    public AdmissionHandler(Supplier<Optional<InjectorConfig>> config, Function<String, Map<String, String>> namespaceLabels,
                            String meshNamespace, Metrics metrics) {
        this.config = config;
        this.namespaceLabels = namespaceLabels;
        this.meshNamespace = meshNamespace;
        this.metrics = metrics;
    }

    /** @throws IllegalArgumentException when the body is not an AdmissionReview with a request (HTTP 400) */
    public ObjectNode handle(JsonNode review) {
        return handle(review, Optional.empty());
    }

    /**
     * @param tag the revision tag whose webhook called ({@code /inject/tag/<tag>}): pods asking for the tag are
     *            injected by this revision
     */
    public ObjectNode handle(JsonNode review, Optional<String> tag) {
        JsonNode request = review.path("request");
        if (!request.hasNonNull("uid")) {
            throw new IllegalArgumentException("not an AdmissionReview with request.uid");
        }
        ObjectNode answer = InjectorJson.JSON.createObjectNode()
                .put("apiVersion", review.path("apiVersion").asText("admission.k8s.io/v1")).put("kind", "AdmissionReview");
        ObjectNode response = answer.putObject("response").put("uid", request.path("uid").asText()).put("allowed", true);
        String where = request.path("namespace").asText() + "/" + podName(request.path("object"));
        try {
            decide(request, response, where, tag);
        } catch (InjectionException e) {
            metrics.injection("refused");
            LOG.info("pod {} refused: {}", where, e.getMessage());
            response.put("allowed", false).putObject("status").put("code", 400)
                    .put("message", "windlass sidecar injection: " + e.getMessage());
        } catch (RuntimeException e) {
            metrics.injection("error");
            LOG.error("pod {}: injection failed; letting it through WITHOUT a sidecar", where, e);
            response.remove("patch");
            response.remove("patchType");
            response.putArray("warnings").add("windlass: the sidecar was not injected (" + e.getMessage()
                    + "); see the windlass-discovery log");
        }
        return answer;
    }

    private void decide(JsonNode request, ObjectNode response, String where, Optional<String> tag) {
        if (!"Pod".equals(request.path("kind").path("kind").asText()) || !"CREATE".equals(request.path("operation").asText())) {
            return; // the webhook's rules send only pod CREATEs; anything else passes untouched
        }
        InjectorConfig current = config.get().orElseThrow(() -> new IllegalStateException("no injector config"));
        JsonNode object = request.path("object");
        Pod pod = InjectorJson.JSON.convertValue(object, Pod.class);
        String namespace = request.path("namespace").asText();
        Injector.Result result = new Injector(current, meshNamespace, tag)
                .inject(pod, new NamespaceInfo(namespace, namespaceLabels.apply(namespace)));
        if (!result.injected()) {
            metrics.injection("skipped");
            LOG.debug("pod {} not injected: {}", where, result.decision().reason());
            return;
        }
        byte[] patch = InjectorJson.json(Injector.patch(object, result.pod())).getBytes(StandardCharsets.UTF_8);
        response.put("patchType", "JSONPatch").put("patch", Base64.getEncoder().encodeToString(patch));
        metrics.injection("injected");
        LOG.info("pod {} injected ({})", where, result.decision().reason());
    }

    private static String podName(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        return meta.hasNonNull("name") ? meta.get("name").asText() : meta.path("generateName").asText("") + "*";
    }
}
