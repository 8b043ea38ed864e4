package dev.windlass.upgrade;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.upgrade.migrations.DeltaXdsFlagRename;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Every values migration, and the chain that takes a spec from one mesh version to another. */
public final class ValuesMigrations {
    private static final ValuesMigrations BUILT_IN = new ValuesMigrations(List.of(new DeltaXdsFlagRename()));

    private final List<ValuesMigration> migrations;

    public ValuesMigrations(List<ValuesMigration> migrations) {
        this.migrations = migrations.stream().sorted(Comparator.comparing(ValuesMigration::from)).toList();
    }

    public static ValuesMigrations builtIn() {
        return BUILT_IN;
    }

    /** The migrations between two versions, oldest first; none for a downgrade or no change. */
    public List<ValuesMigration> between(String from, String to) {
        SemVer start = SemVer.parse(from);
        SemVer end = SemVer.parse(to);
        return migrations.stream().filter(m -> m.from().compareTo(start) >= 0 && m.to().compareTo(end) <= 0).toList();
    }

    /**
     * Runs the chain from {@code from} to {@code to} over {@code spec}, in place.
     *
     * @return one line per migration that changed something, prefixed with its versions
     */
    public List<String> migrate(ObjectNode spec, String from, String to) {
        List<String> changes = new ArrayList<>();
        for (ValuesMigration migration : between(from, to)) {
            migration.migrate(spec).ifPresent(change -> changes.add(migration.from() + " → " + migration.to() + ": " + change));
        }
        return changes;
    }
}
