package dev.windlass.discovery.ads;

import dev.windlass.discovery.model.MeshSnapshot;

import java.util.function.Supplier;

/**
 * Reads the registry and numbers each read. A connection remembers the number of the snapshot it was last
 * served from and ignores an older one, so a push that read the registry before a proxy's first request
 * cannot overwrite that fresher first answer.
 */
final class SnapshotSource {
    record Stamped(long seq, MeshSnapshot snapshot) {
    }

    private final Supplier<MeshSnapshot> model;
    private long seq;

    SnapshotSource(Supplier<MeshSnapshot> model) {
        this.model = model;
    }

    synchronized Stamped read() {
        return new Stamped(++seq, model.get());
    }
}
