package dev.windlass.profiles.render;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A rendered mesh: its objects in render order (what {@code manifest generate} prints), each in the install phase
 * the renderer gave it, so that the operator applies them phase by phase without decoding labels.
 */
public final class RenderedMesh {
    private record Placed(InstallPhase phase, HasMetadata object) {
    }

    private final List<Placed> placed;

    private RenderedMesh(List<Placed> placed) {
        this.placed = List.copyOf(placed);
    }

    /** Every object, in render order. */
    public List<HasMetadata> objects() {
        return placed.stream().map(Placed::object).toList();
    }

    /** The objects of one phase, in render order. */
    public List<HasMetadata> phase(InstallPhase phase) {
        return placed.stream().filter(p -> p.phase() == phase).map(Placed::object).toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects objects with their phase; {@link #build} keeps the order they were added in. */
    public static final class Builder {
        private final List<Placed> placed = new ArrayList<>();

        private Builder() {
        }

        public Builder add(InstallPhase phase, HasMetadata object) {
            placed.add(new Placed(phase, object));
            return this;
        }

        public Builder add(InstallPhase phase, Collection<? extends HasMetadata> objects) {
            objects.forEach(o -> add(phase, o));
            return this;
        }

        /** Another rendering's objects, each in the phase it has there. */
        public Builder add(RenderedMesh other) {
            placed.addAll(other.placed);
            return this;
        }

        public RenderedMesh build() {
            return new RenderedMesh(placed);
        }
    }
}
