package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The DESTINATIONS cell of {@code proxy-config routes}: the clusters a route sends to, named as the
 * VirtualService would name them ({@code reviews.bookinfo.svc.cluster.local|v1}, with {@code :port} only when it
 * is not the route configuration's own port) and each with its share of the weight; mirrors after them; redirects
 * and direct responses by what they answer.
 */
final class ProxyConfigRouteActions {
    private ProxyConfigRouteActions() {
    }

    static String destinations(JsonNode route, String routeConfig) {
        if (route.has("redirect")) {
            return redirect(route.path("redirect"));
        }
        if (route.has("direct_response")) {
            return "direct response " + route.path("direct_response").path("status").asText();
        }
        JsonNode action = route.path("route");
        List<String> parts = new ArrayList<>();
        if (action.has("cluster")) {
            parts.add(cluster(action.path("cluster").asText(), routeConfig));
        } else if (action.has("weighted_clusters")) {
            JsonNode clusters = action.path("weighted_clusters").path("clusters");
            long total = action.path("weighted_clusters").path("total_weight").asLong(0);
            if (total == 0) {
                for (JsonNode c : clusters) {
                    total += c.path("weight").asLong(0);
                }
            }
            for (JsonNode c : clusters) {
                parts.add(cluster(c.path("name").asText(), routeConfig) + " " + percent(c.path("weight").asLong(0), total));
            }
        } else if (action.has("cluster_header")) {
            parts.add("cluster from header " + action.path("cluster_header").asText());
        }
        for (JsonNode mirror : action.path("request_mirror_policies")) {
            JsonNode fraction = mirror.path("runtime_fraction").path("default_value");
            parts.add("mirror " + cluster(mirror.path("cluster").asText(), routeConfig)
                    + (fraction.isMissingNode() ? "" : " " + fraction(fraction)));
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    /** {@code outbound|9080|v1|reviews.bookinfo.svc.cluster.local} → {@code reviews.bookinfo.svc.cluster.local|v1}. */
    static String cluster(String name, String routeConfig) {
        String[] parts = name.split("\\|", -1);
        if (parts.length != 4 || !parts[0].equals("outbound")) {
            return name;
        }
        String host = parts[3] + (parts[1].equals(routeConfig) ? "" : ":" + parts[1]);
        return parts[2].isEmpty() ? host : host + "|" + parts[2];
    }

    /** A share as a percentage: {@code 80%}, {@code 33.3%}. */
    static String percent(long weight, long total) {
        if (total <= 0) {
            return "0%";
        }
        BigDecimal share = BigDecimal.valueOf(weight * 100).divide(BigDecimal.valueOf(total), 1, RoundingMode.HALF_UP);
        return share.stripTrailingZeros().toPlainString() + "%";
    }

    /** Envoy's FractionalPercent ({@code numerator}, {@code denominator} HUNDRED|TEN_THOUSAND|MILLION) in percent. */
    private static String fraction(JsonNode fraction) {
        long scale = switch (fraction.path("denominator").asText("HUNDRED")) {
            case "TEN_THOUSAND" -> 10_000;
            case "MILLION" -> 1_000_000;
            default -> 100;
        };
        return percent(fraction.path("numerator").asLong(0), scale);
    }

    private static String redirect(JsonNode redirect) {
        String target = redirect.path("scheme_redirect").asText("") + (redirect.has("scheme_redirect") ? "://" : "")
                + redirect.path("host_redirect").asText("")
                + (redirect.has("port_redirect") ? ":" + redirect.path("port_redirect").asText() : "")
                + redirect.path("path_redirect").asText(redirect.path("prefix_rewrite").asText(""));
        String code = redirect.path("response_code").asText("MOVED_PERMANENTLY");
        return "redirect " + code + (target.isEmpty() ? "" : " to " + target);
    }
}
