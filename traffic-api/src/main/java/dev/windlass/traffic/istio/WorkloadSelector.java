package dev.windlass.traffic.istio;

import java.util.Map;

/** Istio's WorkloadSelector (PeerAuthentication, AuthorizationPolicy): the labels a pod must carry, all of them. */
public record WorkloadSelector(Map<String, String> matchLabels) {
    public WorkloadSelector {
        matchLabels = Nulls.map(matchLabels);
    }

    public boolean matches(Map<String, String> labels) {
        return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
