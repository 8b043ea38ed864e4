package dev.windlass.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.contract.Labels;
import dev.windlass.injector.InjectionException;
import dev.windlass.injector.Injector;
import dev.windlass.injector.InjectorJson;
import dev.windlass.injector.NamespaceInfo;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a multi-document YAML stream and injects every pod it finds: a Pod itself, the {@code spec.template} of
 * the workload kinds, a CronJob's {@code spec.jobTemplate.spec.template}, and the items of a List. Other
 * documents pass through unchanged.
 */
final class KubeInjectDocuments {
    private static final Set<String> TEMPLATED = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
            "ReplicationController");
    private final Injector injector;
    private final String source;

    KubeInjectDocuments(Injector injector, String source) {
        this.injector = injector;
        this.source = source;
    }

    static String read(Path file) {
        try {
            if (file.toString().equals("-")) {
                InputStream in = System.in;
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage());
        }
    }

    String inject(String yaml) {
        StringBuilder out = new StringBuilder();
        List<JsonNode> documents = parse(yaml);
        for (int i = 0; i < documents.size(); i++) {
            JsonNode document = documents.get(i);
            if (document == null || document.isNull() || document.isMissingNode()) {
                continue; // an empty document, e.g. after a trailing ---
            }
            if (!document.isObject()) {
                throw new InputException(source + ": document " + (i + 1) + ": not a Kubernetes object");
            }
            injectObject((ObjectNode) document, "document " + (i + 1));
            out.append("---\n").append(InjectorJson.yaml(document));
        }
        return out.toString();
    }

    private void injectObject(ObjectNode object, String where) {
        String kind = object.path("kind").asText();
        String at = where + " (" + kind + " " + object.path("metadata").path("name").asText("?") + ")";
        String namespace = object.path("metadata").path("namespace").asText("default");
        if ("Pod".equals(kind)) {
            injectPod(object, namespace, at);
        } else if (TEMPLATED.contains(kind)) {
            injectPod(template(object.path("spec"), at), namespace, at);
        } else if ("CronJob".equals(kind)) {
            injectPod(template(object.path("spec").path("jobTemplate").path("spec"), at), namespace, at);
        } else if ("List".equals(kind) && object.path("items").isArray()) {
            for (int i = 0; i < object.get("items").size(); i++) {
                if (object.get("items").get(i) instanceof ObjectNode item) {
                    injectObject(item, where + " item " + (i + 1));
                }
            }
        }
    }

    private ObjectNode template(JsonNode spec, String at) {
        if (!(spec.path("template") instanceof ObjectNode template) || !template.path("spec").isObject()) {
            throw new InputException(source + ": " + at + ": no pod template (spec.template.spec)");
        }
        return template;
    }

    /** Injects a Pod or a pod template in place: only its metadata and spec change. */
    private void injectPod(ObjectNode pod, String namespace, String at) {
        if (!pod.path("metadata").isObject()) {
            pod.putObject("metadata");
        }
        Pod model;
        try {
            model = InjectorJson.JSON.treeToValue(pod, Pod.class);
        } catch (JsonProcessingException e) {
            throw new InputException(source + ": " + at + ": not a valid pod: " + e.getOriginalMessage());
        }
        // Asking kube-inject is the opt-in: the namespace counts as labelled for this revision.
        NamespaceInfo ns = new NamespaceInfo(namespace, Map.of(Labels.REVISION, injector.revision()));
        try {
            Injector.Result result = injector.inject(model, ns);
            if (result.injected()) {
                JsonNode injected = InjectorJson.JSON.valueToTree(result.pod());
                pod.set("metadata", injected.path("metadata"));
                pod.set("spec", injected.path("spec"));
            }
        } catch (InjectionException e) {
            throw new InputException(source + ": " + at + ": " + e.getMessage());
        }
    }

    private List<JsonNode> parse(String yaml) {
        try (MappingIterator<JsonNode> docs = InjectorJson.YAML.readerFor(JsonNode.class).readValues(yaml)) {
            return docs.readAll();
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InputException(source + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new InputException(source + ": cannot read: " + e.getMessage());
        }
    }
}
