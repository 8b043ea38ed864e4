package dev.windlass.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Build step run right after fabric8's CRD generator. The generator sorts printer columns by JSON path
 * (fabric8io/kubernetes-client#7454) and emits a validation rule twice when a record component carries it
 * (once for the field, once for the accessor). This puts the columns in declaration order and drops the copies,
 * and bounds integers and quantities by their Java types ({@link SchemaBounds}).
 */
public final class CrdFinisher {

    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private CrdFinisher() {
    }

    /** @param args the directory the generator wrote to; every CRD of {@link MeshCrds#KINDS} in it is finished */
    public static void main(String[] args) throws IOException {
        for (Class<?> kind : MeshCrds.KINDS) {
            finish(Path.of(args[0]).resolve(MeshCrds.fileName(kind)), kind);
        }
    }

    private static void finish(Path crd, Class<?> kind) throws IOException {
        JsonNode root = YAML.readTree(crd.toFile());
        for (JsonNode version : root.path("spec").path("versions")) {
            orderPrinterColumns((ArrayNode) version.get("additionalPrinterColumns"), kind);
            dropDuplicateRules(version.path("schema"));
            SchemaBounds.apply(version.path("schema").path("openAPIV3Schema"), kind);
        }
        Files.writeString(crd, "# Generated from dev.windlass.api.v1alpha1 by the build; do not edit.\n"
                + YAML.writeValueAsString(root));
    }

    private static void orderPrinterColumns(ArrayNode columns, Class<?> kind) {
        List<String> declared = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        List<JsonNode> sorted = new ArrayList<>();
        columns.forEach(sorted::add);
        sorted.sort((a, b) -> Integer.compare(declared.indexOf(a.path("name").asText()), declared.indexOf(b.path("name").asText())));
        columns.removeAll();
        columns.addAll(sorted);
    }

    private static void dropDuplicateRules(JsonNode node) {
        if (node instanceof ObjectNode object && object.get("x-kubernetes-validations") instanceof ArrayNode rules) {
            Set<JsonNode> seen = new LinkedHashSet<>();
            rules.forEach(seen::add);
            rules.removeAll();
            rules.addAll(seen);
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            dropDuplicateRules(children.next());
        }
    }
}
