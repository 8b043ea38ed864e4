package dev.windlass.upgrade;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * Rewrites a MeshControlPlane spec written for one mesh version into what the next version understands. A
 * migration never touches the user's object: the operator and the CLI apply it to the spec they render from.
 */
public interface ValuesMigration {
    /** The version whose values this migration reads. */
    SemVer from();

    /** The version whose values it writes: the next one in the catalog. */
    SemVer to();

    /**
     * Rewrites {@code spec} in place.
     *
     * @return what was changed, in one line naming the fields; empty when the spec needed nothing
     */
    Optional<String> migrate(ObjectNode spec);
}
