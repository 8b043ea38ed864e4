package dev.windlass.injector;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Test inputs: the injector ConfigMaps the profiles renderer makes, and the case files (a Namespace, then a Pod). */
final class Fixtures {
    static final String MESH_NAMESPACE = "windlass-system";

    private Fixtures() {
    }

    static InjectorConfig config(String revision) {
        try (InputStream in = resource("/injector-" + revision + ".yaml")) {
            Map<String, String> data = InjectorJson.YAML.readValue(in, new TypeReference<>() {
            });
            return InjectorConfig.parse(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Injector injector(String revision) {
        return new Injector(config(revision), MESH_NAMESPACE);
    }

    record Case(NamespaceInfo namespace, Pod pod, JsonNode podJson) {
    }

    static Case load(String name) {
        try (InputStream in = resource("/cases/" + name + ".yaml");
             MappingIterator<JsonNode> docs = InjectorJson.YAML.readerFor(JsonNode.class).readValues(in)) {
            List<JsonNode> all = docs.readAll();
            JsonNode ns = all.get(0).path("metadata");
            Map<String, String> labels = InjectorJson.JSON.convertValue(ns.path("labels"), new TypeReference<>() {
            });
            JsonNode podJson = InjectorJson.JSON.valueToTree(all.get(1));
            return new Case(new NamespaceInfo(ns.path("name").asText(), labels),
                    InjectorJson.JSON.treeToValue(podJson, Pod.class), podJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Pod pod(String yaml) {
        try {
            return InjectorJson.YAML.readValue(yaml, Pod.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = Fixtures.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalArgumentException("no test resource " + path);
        }
        return in;
    }
}
