package dev.windlass.operator.runtime;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Keeps the operator's {@code WINDLASS_LOG_FORMAT=json} (one JSON object per line; text otherwise) by setting
 * Quarkus's {@code quarkus.log.console.json.enabled}; QUARKUS_LOG_CONSOLE_JSON_ENABLED still wins (ordinal 300).
 */
public class LogFormatConfigSource implements ConfigSource {
    private static final String JSON_ENABLED = "quarkus.log.console.json.enabled";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(JSON_ENABLED);
    }

    @Override
    public String getValue(String propertyName) {
        return JSON_ENABLED.equals(propertyName) ? String.valueOf(json(System.getenv())) : null;
    }

    static boolean json(Map<String, String> env) {
        return "json".equalsIgnoreCase(env.getOrDefault("WINDLASS_LOG_FORMAT", "text"));
    }

    @Override
    public String getName() {
        return "WINDLASS_LOG_FORMAT";
    }

    @Override
    public int getOrdinal() {
        return 260; // above application.properties (250), below the environment (300)
    }
}
