package dev.windlass.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The test corpus of the traffic API, shared through this module's test-jar: the unit tests here and the discovery
 * server's apiserver-level webhook test read the same files.
 */
public final class IstioTestResources {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private IstioTestResources() {
    }

    /** invalid-resources.yaml: each case has name, apiVersion, kind, spec and the error it must be refused with. */
    public static List<JsonNode> invalidResources() throws IOException {
        try (InputStream in = open("invalid-resources.yaml")) {
            List<JsonNode> cases = new ArrayList<>();
            YAML.readTree(in).forEach(cases::add);
            return cases;
        }
    }

    /** bookinfo-tasks.yaml: the Istio tasks' Bookinfo resources, which must be accepted. */
    public static List<JsonNode> bookinfoTasks() throws IOException {
        try (InputStream in = open("bookinfo-tasks.yaml")) {
            return documents(in);
        }
    }

    /** The documents of a multi-document YAML stream, empty ones left out. */
    public static List<JsonNode> documents(InputStream in) throws IOException {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(in)) {
            return it.readAll().stream().filter(n -> n != null && !n.isEmpty()).toList();
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = IstioTestResources.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("no test resource " + name + " next to " + IstioTestResources.class.getName());
        }
        return in;
    }
}
