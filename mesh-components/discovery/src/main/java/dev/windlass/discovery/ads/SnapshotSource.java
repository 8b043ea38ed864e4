package dev.windlass.discovery.ads;

import dev.windlass.discovery.model.MeshSnapshot;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Reads the registry when it has changed since the last read, and numbers each snapshot. A connection remembers
 * the number of the snapshot it was last served from and ignores an older one, so a push that read the registry
 * before a proxy's first request cannot overwrite that fresher first answer. Between changes every reader gets
 * the same snapshot, so translations of it can be shared ({@link SharedTranslations}); building one per
 * connecting proxy cost O(services + pods) each.
 */
final class SnapshotSource {
    record Stamped(long seq, MeshSnapshot snapshot) {
    }

    private final Supplier<MeshSnapshot> model;
    private final AtomicBoolean changed = new AtomicBoolean(true);
    private long seq;
    private Stamped last;

    SnapshotSource(Supplier<MeshSnapshot> model) {
        this.model = model;
    }

    /** The registry changed: the next read builds a new snapshot. Called before the change's push is debounced. */
    void changed() {
        changed.set(true);
    }

    /** Cleared before the model is read, so that a change during the build marks the next read again. */
    synchronized Stamped read() {
        if (changed.getAndSet(false)) {
            last = new Stamped(++seq, model.get());
        }
        return last;
    }
}
