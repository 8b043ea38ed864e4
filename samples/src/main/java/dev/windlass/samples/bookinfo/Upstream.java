package dev.windlass.samples.bookinfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Calls from one Bookinfo service to another, with upstream Bookinfo's timeouts and retries. */
final class Upstream {
    /**
     * Plain HTTP/1.1: the JDK client would otherwise offer an h2c upgrade on every new connection, which is not
     * what upstream Bookinfo (python requests, JAX-RS) sends, so the mesh would see different traffic.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    private Upstream() {
    }

    /**
     * What one call came to.
     *
     * @param status      the last attempt's HTTP status, or 0 when no response came (timeout, refused, reset)
     * @param meshHeaders the response's x-windlass-* and x-envoy-* headers, lower case
     * @param body        the response body ("" when none)
     * @param error       why no response came, or null
     * @param attempts    how many attempts were made
     */
    record Result(int status, Map<String, String> meshHeaders, String body, String error, int attempts) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The body as JSON, or null when it is not JSON (a proxy's own reply such as "no healthy upstream"). */
        Object json() {
            try {
                return Json.parse(body);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** The JSON API's shape for an upstream: {status, headers, body}, or {status: 503, error} with no response. */
        String toJson() {
            if (status == 0) {
                return "{\"status\":503,\"error\":" + Json.string(error) + "}";
            }
            String parsedBody = body.stripLeading().startsWith("{") && json() != null ? body : Json.string(body);
            return "{\"status\":" + status + ",\"headers\":" + Json.write(meshHeaders) + ",\"body\":" + parsedBody + "}";
        }
    }

    /** GETs {@code url} up to {@code attempts} times, until a 2xx; each attempt waits at most {@code timeout}. */
    static Result get(String url, Map<String, String> headers, Duration timeout, int attempts) {
        Result result = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            result = once(url, headers, timeout, attempt);
            if (result.ok()) {
                break;
            }
        }
        return result;
    }

    private static Result once(String url, Map<String, String> headers, Duration timeout, int attempt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> meshHeaders = new TreeMap<>();
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("x-windlass-") || lower.startsWith("x-envoy-")) {
                    meshHeaders.put(lower, String.join(",", values));
                }
            });
            return new Result(response.statusCode(), meshHeaders, response.body(), null, attempt);
        } catch (IOException e) {
            return new Result(0, Map.of(), "", url + ": " + e, attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(0, Map.of(), "", "interrupted", attempt);
        }
    }
}
