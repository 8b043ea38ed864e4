package dev.windlass.profiles;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One layer of values (a MeshControlPlane spec tree) and where it came from, for error messages. */
public record ValuesLayer(String source, ObjectNode spec) {
}
