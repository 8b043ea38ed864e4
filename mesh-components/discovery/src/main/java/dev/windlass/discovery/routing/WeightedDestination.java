package dev.windlass.discovery.routing;

/** A share of the traffic of a rule: where it goes, its weight, and header edits for this destination only. */
public record WeightedDestination(ClusterRef cluster, int weight, HeaderEdits.Both headers) {
}
