package dev.windlass.discovery.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.injector.InjectorJson;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.Base64;
import java.util.Map;

/** A small injector ConfigMap (the shape profiles renders) and AdmissionReviews around a pod. */
final class InjectFixtures {
    static final Map<String, String> CONFIG_MAP_DATA = Map.of(
            "template.yaml", """
                    initContainers:
                    - name: windlass-init
                      image: windlass/proxy:test
                      args: [init]
                      securityContext: {capabilities: {add: [NET_ADMIN, NET_RAW], drop: [ALL]}, runAsUser: 0}
                    containers:
                    - name: windlass-proxy
                      image: windlass/proxy:test
                      args: [sidecar]
                      readinessProbe: {httpGet: {path: /healthz/ready, port: 15021}}
                      securityContext: {runAsUser: 1337, runAsGroup: 1337, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
                      volumeMounts:
                      - {name: windlass-ca-root, mountPath: /var/run/secrets/windlass/ca, readOnly: true}
                    volumes:
                    - name: windlass-tmp
                      emptyDir: {medium: Memory}
                    - name: windlass-ca-root
                      configMap: {name: windlass-ca-root-cert-windlass-system}
                    """,
            "values.yaml", "revision: default\nversion: 0.2.0\nrewriteAppHTTPProbes: true\n");

    private InjectFixtures() {
    }

    static Pod pod(String name, Map<String, String> annotations) {
        Pod pod = InjectorJson.JSON.convertValue(Map.of(
                "apiVersion", "v1", "kind", "Pod",
                "metadata", Map.of("name", name),
                "spec", Map.of("containers", java.util.List.of(Map.of("name", "app", "image", "busybox",
                        "readinessProbe", Map.of("httpGet", Map.of("path", "/ready", "port", 8080)))))), Pod.class);
        pod.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
        return pod;
    }

    static ObjectNode review(String uid, String namespace, Pod pod) {
        ObjectNode review = InjectorJson.JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", uid).put("namespace", namespace).put("operation", "CREATE");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.set("object", InjectorJson.JSON.valueToTree(pod));
        return review;
    }

    /** The pod the answer's patch makes of the request's object. */
    static JsonNode patched(JsonNode review, JsonNode answer) throws Exception {
        JsonNode patch = InjectorJson.JSON.readTree(Base64.getDecoder().decode(answer.path("response").path("patch").asText()));
        return io.fabric8.zjsonpatch.JsonPatch.apply(patch, review.path("request").path("object"));
    }
}
