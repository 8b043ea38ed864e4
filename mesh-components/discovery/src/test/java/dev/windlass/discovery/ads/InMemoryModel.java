package dev.windlass.discovery.ads;

import dev.windlass.discovery.model.ChangeKind;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.ModelSource;

import java.util.function.Consumer;

/** A registry the test sets by hand, reporting each change as the informers would. */
final class InMemoryModel implements ModelSource {
    private volatile MeshSnapshot snapshot;
    private volatile boolean synced = true;
    private volatile Consumer<ChangeKind> onChange = kind -> { };

    InMemoryModel(MeshSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    void update(MeshSnapshot next, ChangeKind kind) {
        snapshot = next;
        onChange.accept(kind);
    }

    void synced(boolean value) {
        synced = value;
    }

    @Override
    public void start(Consumer<ChangeKind> changes) {
        onChange = changes;
    }

    @Override
    public boolean synced() {
        return synced;
    }

    @Override
    public MeshSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public void close() {
    }
}
