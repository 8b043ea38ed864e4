package dev.windlass.upgrade.migrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.upgrade.SemVer;
import dev.windlass.upgrade.ValuesMigration;

import java.util.Optional;

/**
 * 0.1.0 spelled the experimental incremental-xDS flag {@code values.experimental.deltaXDS}; 0.2.0 reads
 * {@code deltaXds}, the spelling of its other flags. An explicit new spelling wins over the old one.
 */
public final class DeltaXdsFlagRename implements ValuesMigration {
    static final String OLD = "deltaXDS";
    static final String NEW = "deltaXds";

    @Override
    public SemVer from() {
        return SemVer.parse("0.1.0");
    }

    @Override
    public SemVer to() {
        return SemVer.parse("0.2.0");
    }

    @Override
    public Optional<String> migrate(ObjectNode spec) {
        JsonNode experimental = spec.path("values").path("experimental");
        if (!(experimental instanceof ObjectNode flags) || !flags.has(OLD)) {
            return Optional.empty();
        }
        JsonNode value = flags.remove(OLD);
        if (flags.has(NEW)) {
            return Optional.of("values.experimental." + OLD + " dropped: values.experimental." + NEW + " is set");
        }
        flags.set(NEW, value);
        return Optional.of("values.experimental." + OLD + " renamed to values.experimental." + NEW);
    }
}
