package dev.windlass.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.windlass.traffic.istio.analysis.AnalysisInput;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of {@code windlass analyze}: multi-document YAML (or JSON), each document with the line it starts on
 * and the line of every field ({@code spec.http[0].route[0].destination} → 14), so that a finding names the line
 * of what it is about, as istioctl's do. Directories give their .yaml, .yml and .json files.
 */
final class AnalyzeFiles {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AnalyzeFiles() {
    }

    /** One document of a file and where it came from. */
    record Document(JsonNode object, AnalysisInput.Source source) {
    }

    /** The files to read: each argument, or the YAML/JSON files of a directory; {@code -} is stdin. */
    static List<String> expand(List<String> arguments, boolean recursive) {
        List<String> files = new ArrayList<>();
        for (String argument : arguments) {
            Path path = Path.of(argument);
            if (argument.equals("-") || !Files.isDirectory(path)) {
                files.add(argument);
                continue;
            }
            try (Stream<Path> found = recursive ? Files.walk(path) : Files.list(path)) {
                found.filter(Files::isRegularFile).map(Path::toString)
                        .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml") || f.endsWith(".json")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new InputException(argument + ": " + e.getMessage());
            }
        }
        return files;
    }

    /** Every document of a file; a file that cannot be read or parsed is an InputException naming it. */
    static List<Document> read(String file, InputStream stdin) {
        String text;
        try {
            text = file.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new InputException(file + ": " + (Files.exists(Path.of(file)) ? e.getMessage() : "no such file"));
        }
        try {
            return parse(file, text);
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": not YAML: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + " (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new InputException(file + ": " + e.getMessage());
        }
    }

    static List<Document> parse(String file, String text) throws IOException {
        List<Document> documents = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                int line = parser.currentTokenLocation().getLineNr();
                Map<String, Integer> lines = new HashMap<>();
                JsonNode node = node(parser, token, "", lines);
                if (node.isObject() && !node.isEmpty()) {
                    documents.add(new Document(node, new AnalysisInput.Source(file, line, lines)));
                }
            }
        }
        return documents;
    }

    /** The value at the current token, recording the line of each field and list item under {@code path}. */
    private static JsonNode node(JsonParser parser, JsonToken token, String path, Map<String, Integer> lines) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    String at = path.isEmpty() ? name : path + "." + name;
                    lines.put(at, parser.currentTokenLocation().getLineNr());
                    object.set(name, node(parser, parser.nextToken(), at, lines));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                JsonToken item;
                while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
                    String at = path + "[" + array.size() + "]";
                    lines.put(at, parser.currentTokenLocation().getLineNr());
                    array.add(node(parser, item, at, lines));
                }
                return array;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return parser.getNumberType() == JsonParser.NumberType.INT ? NODES.numberNode(parser.getIntValue())
                        : parser.getNumberType() == JsonParser.NumberType.LONG ? NODES.numberNode(parser.getLongValue())
                        : token == JsonToken.VALUE_NUMBER_INT ? NODES.numberNode(parser.getBigIntegerValue())
                        : NODES.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> {
                return NODES.textNode(parser.getText());
            }
        }
    }
}
