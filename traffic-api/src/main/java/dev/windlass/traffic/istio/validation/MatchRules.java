package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.HttpRoute;
import dev.windlass.traffic.istio.StringMatch;

import java.util.Map;

/** Istio's validation of an HTTPMatchRequest. */
final class MatchRules {
    private MatchRules() {
    }

    static void check(String path, HttpRoute.MatchRequest match, Errors errors) {
        Values.stringMatch(path + ".uri", match.uri(), errors);
        Values.stringMatch(path + ".scheme", match.scheme(), errors);
        Values.stringMatch(path + ".method", match.method(), errors);
        Values.stringMatch(path + ".authority", match.authority(), errors);
        if (match.uri() != null && match.uri().setCount() == 0) {
            errors.add(path + ".uri", "one of exact, prefix or regex is required");
        }
        headerConditions(path + ".headers", match.headers(), errors);
        headerConditions(path + ".withoutHeaders", match.withoutHeaders(), errors);
        for (Map.Entry<String, StringMatch> q : match.queryParams().entrySet()) {
            String at = path + ".queryParams." + q.getKey();
            Values.stringMatch(at, q.getValue(), errors);
            if (q.getValue() != null && q.getValue().prefix() != null) {
                errors.add(at + ".prefix", dev.windlass.traffic.istio.FieldError.NOT_SUPPORTED
                        + ": prefix in queryParams (Istio documents exact and regex only)");
            }
        }
        Values.port(path + ".port", match.port(), errors);
        Values.labels(path + ".sourceLabels", match.sourceLabels(), errors);
        for (int i = 0; i < match.gateways().size(); i++) {
            VirtualServiceRules.gateway(path + ".gateways[" + i + "]", match.gateways().get(i), errors);
        }
        if (match.sourceNamespace() != null && !Values.dnsLabel(match.sourceNamespace())) {
            errors.add(path + ".sourceNamespace", "sourceNamespace match " + match.sourceNamespace() + " is invalid");
        }
    }

    /** Istio's rule: letters, digits, '-' and '_' (so no pseudo-headers: scheme, method and authority have fields). */
    private static void headerConditions(String path, Map<String, StringMatch> headers, Errors errors) {
        for (Map.Entry<String, StringMatch> h : headers.entrySet()) {
            String at = path + "." + h.getKey();
            Values.headerName(at, h.getKey(), errors);
            Values.stringMatch(at, h.getValue(), errors);
        }
    }
}
