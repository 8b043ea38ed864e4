package dev.windlass.profiles;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A profile or platform overlay file: a one-line description, a spec layer, and defaults for every gateway
 * that a profile or the user lists.
 */
public record Profile(String name, String description, ObjectNode spec, ObjectNode gatewayDefaults) {
}
