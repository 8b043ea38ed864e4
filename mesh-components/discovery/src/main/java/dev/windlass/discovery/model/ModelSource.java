package dev.windlass.discovery.model;

import java.util.function.Consumer;

/** Where the registry comes from: the cluster's informers in production, a fixed model in tests. */
public interface ModelSource extends AutoCloseable {
    /** Starts watching; {@code onChange} is told of every change that may need a push. Returns at once. */
    void start(Consumer<ChangeKind> onChange);

    /** Whether the first full view of the registry is in, so that proxies are not served a partial mesh. */
    boolean synced();

    MeshSnapshot snapshot();

    @Override
    void close();
}
