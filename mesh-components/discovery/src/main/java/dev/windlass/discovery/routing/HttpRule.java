package dev.windlass.discovery.routing;

import java.util.List;

/**
 * One HTTP rule: its conditions (any of {@code matches}; none means every request), its action, and the
 * policies that apply before the action (faults, CORS) and around it (header edits for the whole rule).
 */
public record HttpRule(String name, List<RequestMatch> matches, HttpAction action, HeaderEdits.Both headers,
                       FaultPolicy fault, CorsRules cors) {
    public HttpRule {
        matches = List.copyOf(matches);
    }
}
