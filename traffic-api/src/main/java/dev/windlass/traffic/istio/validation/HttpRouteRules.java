package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.FieldError;
import dev.windlass.traffic.istio.Headers;
import dev.windlass.traffic.istio.HttpRoute;
import dev.windlass.traffic.istio.StringMatch;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Istio's validation of one {@code http} rule of a VirtualService: its action, matches and policies. */
final class HttpRouteRules {
    /** Envoy's retry_on conditions that the proxy implements; numbers (HTTP status codes) are accepted too. */
    static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
            "connect-failure", "envoy-ratelimited", "retriable-4xx", "refused-stream", "retriable-status-codes",
            "retriable-headers", "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable");
    static final List<String> GRPC_STATUSES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");

    private HttpRouteRules() {
    }

    static void check(String path, HttpRoute route, Errors errors) {
        action(path, route, errors);
        for (int i = 0; i < route.match().size(); i++) {
            MatchRules.check(path + ".match[" + i + "]", route.match().get(i), errors);
        }
        for (int i = 0; i < route.route().size(); i++) {
            HttpRoute.RouteDestination d = route.route().get(i);
            String at = path + ".route[" + i + "]";
            Values.destination(at + ".destination", d.destination(), errors);
            weight(at + ".weight", d.weight(), errors);
            headers(at + ".headers", d.headers(), errors);
        }
        if (route.route().size() > 1 && route.route().stream().mapToLong(HttpRoute.RouteDestination::weightOrZero).sum() == 0) {
            errors.add(path + ".route", "total destination weight = 0");
        }
        if (route.timeout() != null) {
            Values.duration(path + ".timeout", route.timeout(), errors);
        }
        retries(path + ".retries", route.retries(), errors);
        fault(path + ".fault", route.fault(), errors);
        mirrors(path, route, errors);
        headers(path + ".headers", route.headers(), errors);
        cors(path + ".corsPolicy", route.corsPolicy(), errors);
        redirectAndRewrite(path, route, errors);
    }

    private static void action(String path, HttpRoute route, Errors errors) {
        boolean routes = !route.route().isEmpty();
        if (route.delegate() != null) {
            if (route.redirect() != null) {
                errors.add(path + ".redirect", "root HTTP route must not specify redirect");
            }
            if (routes) {
                errors.add(path + ".route", "root HTTP route must not specify route");
            }
        } else if (route.redirect() != null) {
            conflicts(path, route, "redirect", errors);
        } else if (route.directResponse() != null) {
            conflicts(path, route, "direct_response", errors);
        } else if (!routes) {
            errors.add(path, "HTTP route, redirect or direct_response is required");
        }
        if (route.delegate() != null) {
            String name = route.delegate().name();
            if (name == null || name.isEmpty()) {
                errors.add(path + ".delegate.name", "delegate name is required");
            } else if (!Values.validHost(name) || name.contains("*")) {
                errors.add(path + ".delegate.name", "invalid delegate name \"" + name + "\"");
            }
            String ns = route.delegate().namespace();
            if (ns != null && !Values.dnsLabel(ns)) {
                errors.add(path + ".delegate.namespace", "invalid namespace \"" + ns + "\"");
            }
        }
        if (route.directResponse() != null) {
            Integer status = route.directResponse().status();
            if (status == null || status < 200 || status > 599) {
                errors.add(path + ".directResponse.status", "HTTP status " + status + " is not in range 200-599");
            }
            var body = route.directResponse().body();
            if (body != null && body.string() != null && body.bytes() != null) {
                errors.add(path + ".directResponse.body", "only one of string or bytes may be set");
            } else if (body != null && (body.string() != null ? body.string().length() : body.bytes() == null ? 0 : body.bytes().length() * 3 / 4) > 1 << 20) {
                errors.add(path + ".directResponse.body", "large direct_responses may impact control plane performance, must be less than 1MB");
            }
        }
    }

    /** Istio's validateHTTPRouteConflict: a redirect or direct response cannot come with a route, fault or rewrite. */
    private static void conflicts(String path, HttpRoute route, String action, Errors errors) {
        if (!route.route().isEmpty()) {
            errors.add(path + ".route", "HTTP route cannot contain both route and " + action);
        }
        if (route.fault() != null) {
            errors.add(path + ".fault", "HTTP route cannot contain both fault and " + action);
        }
        if (route.rewrite() != null) {
            errors.add(path + ".rewrite", "HTTP route rule cannot contain both rewrite and " + action);
        }
        if (route.redirect() != null && route.directResponse() != null) {
            errors.add(path + ".directResponse", "HTTP route rule cannot contain both direct_response and redirect");
        }
    }

    static void weight(String path, Integer weight, Errors errors) {
        if (weight != null && weight < 0) {
            errors.add(path, "weight " + weight + " < 0");
        }
    }

    private static void retries(String path, HttpRoute.Retry retry, Errors errors) {
        if (retry == null) {
            return;
        }
        if (retry.attempts() != null && retry.attempts() < 0) {
            errors.add(path + ".attempts", "attempts cannot be negative");
        }
        if ((retry.attempts() == null || retry.attempts() == 0)
                && (retry.perTryTimeout() != null || retry.retryOn() != null || retry.retryRemoteLocalities() != null)) {
            errors.add(path, "http retry policy configured when attempts are set to 0 (disabled)");
        }
        if (Boolean.TRUE.equals(retry.retryRemoteLocalities())) {
            // Retries pick from the same locality priorities as the first attempt (Envoy without previous_priorities).
            errors.notSupported(path + ".retryRemoteLocalities", "retries to other localities");
        }
        if (retry.perTryTimeout() != null) {
            Values.duration(path + ".perTryTimeout", retry.perTryTimeout(), errors);
        }
        if (retry.retryOn() != null) {
            for (String part : retry.retryOn().split(",")) {
                String condition = part.trim();
                boolean code = condition.matches("\\d{3}") && Integer.parseInt(condition) >= 100 && Integer.parseInt(condition) <= 599;
                if (!code && !RETRY_ON.contains(condition)) {
                    errors.add(path + ".retryOn", "\"" + condition + "\" is not a valid retryOn policy (one of "
                            + new java.util.TreeSet<>(RETRY_ON) + " or an HTTP status code)");
                }
            }
        }
    }

    private static void fault(String path, HttpRoute.FaultInjection fault, Errors errors) {
        if (fault == null) {
            return;
        }
        if (fault.delay() == null && fault.abort() == null) {
            errors.add(path, "HTTP fault injection must have an abort and/or a delay");
        }
        var delay = fault.delay();
        if (delay != null) {
            if (delay.fixedDelay() == null) {
                errors.add(path + ".delay.fixedDelay", "fixedDelay is required");
            } else {
                Values.duration(path + ".delay.fixedDelay", delay.fixedDelay(), errors);
            }
            Values.percent(path + ".delay.percentage", delay.percentage(), errors);
            if (delay.percent() != null && (delay.percent() < 0 || delay.percent() > 100)) {
                errors.add(path + ".delay.percent", "percent " + delay.percent() + " must be in the range [0, 100]");
            }
        }
        var abort = fault.abort();
        if (abort != null) {
            if ((abort.httpStatus() == null) == (abort.grpcStatus() == null)) {
                errors.add(path + ".abort", "exactly one of httpStatus or grpcStatus is required");
            }
            if (abort.httpStatus() != null && (abort.httpStatus() < 200 || abort.httpStatus() > 599)) {
                errors.add(path + ".abort.httpStatus", "HTTP status " + abort.httpStatus() + " is not in range 200-599");
            }
            if (abort.grpcStatus() != null && !GRPC_STATUSES.contains(abort.grpcStatus())) {
                errors.add(path + ".abort.grpcStatus", "gRPC status \"" + abort.grpcStatus() + "\" is not supported. See "
                        + "https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'");
            }
            Values.percent(path + ".abort.percentage", abort.percentage(), errors);
        }
    }

    private static void mirrors(String path, HttpRoute route, Errors errors) {
        if (route.mirror() != null && !route.mirrors().isEmpty()) {
            errors.add(path + ".mirrors", "HTTP route cannot contain both mirror and mirrors");
        }
        if (route.mirrorPercentage() != null && route.mirrorPercent() != null) {
            errors.add(path + ".mirrorPercent", "only one of mirrorPercentage or mirrorPercent may be set");
        }
        if (route.mirror() != null) {
            Values.destination(path + ".mirror", route.mirror(), errors);
        }
        Values.percent(path + ".mirrorPercentage", route.mirrorPercentage(), errors);
        if (route.mirrorPercent() != null && (route.mirrorPercent() < 0 || route.mirrorPercent() > 100)) {
            errors.add(path + ".mirrorPercent", "mirror_percent must have a max value of 100 (it has " + route.mirrorPercent() + ")");
        }
        for (int i = 0; i < route.mirrors().size(); i++) {
            Values.destination(path + ".mirrors[" + i + "].destination", route.mirrors().get(i).destination(), errors);
            Values.percent(path + ".mirrors[" + i + "].percentage", route.mirrors().get(i).percentage(), errors);
        }
        if ((route.mirror() != null || !route.mirrors().isEmpty()) && route.route().isEmpty()) {
            errors.add(path + ".mirror", "a mirror needs a route to mirror");
        }
    }

    static void headers(String path, Headers headers, Errors errors) {
        if (headers == null) {
            return;
        }
        operations(path + ".request", headers.request(), errors);
        operations(path + ".response", headers.response(), errors);
    }

    private static void operations(String path, Headers.HeaderOperations ops, Errors errors) {
        if (ops == null) {
            return;
        }
        for (Map.Entry<String, String> e : ops.set().entrySet()) {
            editable(path + ".set." + e.getKey(), e.getKey(), errors);
            value(path + ".set." + e.getKey(), e.getValue(), errors);
        }
        for (Map.Entry<String, String> e : ops.add().entrySet()) {
            editable(path + ".add." + e.getKey(), e.getKey(), errors);
            value(path + ".add." + e.getKey(), e.getValue(), errors);
        }
        for (int i = 0; i < ops.remove().size(); i++) {
            editable(path + ".remove[" + i + "]", ops.remove().get(i), errors);
        }
    }

    /** Control characters would split the header; Envoy's %VARIABLE% syntax is not interpreted by Windlass. */
    private static void value(String path, String value, Errors errors) {
        if (value == null || value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            errors.add(path, "header value configuration " + value + " is invalid");
        } else if (value.replace("%%", "").indexOf('%') >= 0) {
            errors.add(path, FieldError.NOT_SUPPORTED + ": Envoy %VARIABLE% expressions in header values (write %% for a literal %)");
        }
    }

    /**
     * Pseudo-headers and Host cannot be edited this way (Istio: set the authority with rewrite.authority instead;
     * Windlass does not take Istio's host-in-set shortcut).
     */
    private static void editable(String path, String name, Errors errors) {
        if (name == null || name.isEmpty()) {
            errors.add(path, "header name cannot be empty");
        } else if (name.equalsIgnoreCase("host") || name.equalsIgnoreCase(":authority")) {
            errors.add(path, "invalid header \"" + name + "\": cannot set Host header (use rewrite.authority)");
        } else if (name.startsWith(":")) {
            errors.add(path, "invalid header \"" + name + "\": header cannot have \":\" prefix");
        } else if (!name.matches("[!#$%&'*+\\-.^_`|~0-9a-zA-Z]+")) {
            errors.add(path, "header name " + name + " is not a valid header name");
        }
    }

    private static void cors(String path, HttpRoute.CorsPolicy cors, Errors errors) {
        if (cors == null) {
            return;
        }
        for (int i = 0; i < cors.allowOrigins().size(); i++) {
            StringMatch origin = cors.allowOrigins().get(i);
            Values.stringMatch(path + ".allowOrigins[" + i + "]", origin, errors);
            if (origin.setCount() == 0 || "".equals(origin.value())) {
                errors.add(path + ".allowOrigins[" + i + "]", "'' is not a valid match type for CORS allow origins");
            }
        }
        for (int i = 0; i < cors.allowMethods().size(); i++) {
            if (!METHODS.contains(cors.allowMethods().get(i))) {
                errors.add(path + ".allowMethods[" + i + "]", "\"" + cors.allowMethods().get(i) + "\" is not a supported HTTP method");
            }
        }
        cors.allowHeaders().stream().filter(h -> !h.equals("*")).forEach(h -> Values.headerName(path + ".allowHeaders", h, errors));
        cors.exposeHeaders().stream().filter(h -> !h.equals("*")).forEach(h -> Values.headerName(path + ".exposeHeaders", h, errors));
        if (cors.maxAge() != null) {
            java.time.Duration d = Values.duration(path + ".maxAge", cors.maxAge(), errors);
            if (d != null && d.toMillis() % 1000 != 0) {
                errors.add(path + ".maxAge", "max_age duration is accurate only to seconds precision");
            }
        }
        String unmatched = cors.unmatchedPreflights();
        if (unmatched != null && !Set.of("UNSPECIFIED", "FORWARD", "IGNORE").contains(unmatched)) {
            errors.add(path + ".unmatchedPreflights", "must be FORWARD or IGNORE, got " + unmatched);
        }
    }

    private static void redirectAndRewrite(String path, HttpRoute route, Errors errors) {
        if (route.redirect() != null) {
            var r = route.redirect();
            if (r.scheme() != null && !r.scheme().isEmpty() && !r.scheme().equals("http") && !r.scheme().equals("https")) {
                errors.add(path + ".redirect.scheme", "invalid redirect scheme, must be \"http\" or \"https\"");
            }
            if (r.redirectCode() != null && !java.util.Set.of(301, 302, 303, 307, 308).contains(r.redirectCode())
                    && r.redirectCode() >= 300 && r.redirectCode() <= 399) {
                errors.add(path + ".redirect.redirectCode", dev.windlass.traffic.istio.FieldError.NOT_SUPPORTED + " yet: redirect code "
                        + r.redirectCode() + " (use 301, 302, 303, 307 or 308)");
            }
            if (r.redirectCode() != null && (r.redirectCode() < 300 || r.redirectCode() > 399)) {
                errors.add(path + ".redirect.redirectCode", r.redirectCode() + " is not a valid redirect code, must be 3xx");
            }
            Values.port(path + ".redirect.port", r.port(), errors);
            if (r.uri() == null && r.authority() == null && r.port() == null && r.scheme() == null) {
                errors.add(path + ".redirect", "redirect must specify URI, authority, scheme, or port");
            }
        }
        var rewrite = route.rewrite();
        if (rewrite != null) {
            if (rewrite.uri() != null && rewrite.uriRegexRewrite() != null) {
                errors.add(path + ".rewrite", "rewrite may only contain one of URI or UriRegexRewrite");
            }
            var regex = rewrite.uriRegexRewrite();
            if (regex != null) {
                if (regex.match() == null || regex.rewrite() == null) {
                    errors.add(path + ".rewrite.uriRegexRewrite", "UriRegexRewrite requires both Rewrite and Match fields to be specified");
                } else {
                    Values.regex(path + ".rewrite.uriRegexRewrite.match", regex.match(), errors);
                }
            }
            if (rewrite.uri() == null && rewrite.authority() == null && regex == null) {
                errors.add(path + ".rewrite", "rewrite must specify at least one of URI, UriRegexRewrite, or authority");
            }
        }
    }
}
