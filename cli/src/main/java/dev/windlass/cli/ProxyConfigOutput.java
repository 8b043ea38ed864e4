package dev.windlass.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.profiles.Yaml;

import java.util.Locale;

/** {@code -o short|json|yaml}: a table, or the proxy's resources as JSON or YAML. */
enum ProxyConfigOutput {
    SHORT, JSON, YAML;

    static ProxyConfigOutput parse(String text) {
        for (ProxyConfigOutput output : values()) {
            if (output.name().toLowerCase(Locale.ROOT).equals(text)) {
                return output;
            }
        }
        throw new InputException("--output: '" + text + "' is not short, json or yaml");
    }

    /** JSON or YAML text of the resources, ending in a newline. */
    String print(JsonNode resources) {
        try {
            if (this == YAML) {
                return Yaml.MAPPER.writeValueAsString(resources);
            }
            return ProxyConfigDump.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(resources) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
