package dev.windlass.samples.bookinfo;

import com.sun.net.httpserver.Headers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The four Bookinfo services. productpage calls details and reviews; reviews v2 and v3 call ratings. */
public abstract sealed class Role {
    /** Headers passed on to upstream calls, so that a trace and the mesh's request id follow the request. */
    static final List<String> PROPAGATED = List.of("x-request-id", "traceparent", "tracestate", "x-b3-traceid",
            "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    final Environment env;
    final String service;

    private Role(String service, Environment env) {
        this.service = service;
        this.env = env;
    }

    public record Response(int status, String body) {
    }

    public static Role named(String name, Environment env) {
        return switch (name) {
            case "productpage" -> new ProductPage(env);
            case "details" -> new Leaf("details", env, "\"book\":{\"id\":0,\"author\":\"William Shakespeare\",\"pages\":200}");
            case "ratings" -> new Leaf("ratings", env, "\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}");
            case "reviews" -> new Reviews(env);
            default -> throw new IllegalArgumentException("unknown role '" + name + "'; use productpage, details, reviews or ratings");
        };
    }

    abstract Response handle(String path, Headers headers);

    /** The fields every response carries: who served it. */
    String identity() {
        return "\"service\":" + Json.string(service) + ",\"version\":" + Json.string(env.version())
                + ",\"pod\":" + Json.string(env.pod());
    }

    /** Calls an upstream and returns its body, plus the mesh's headers from the response, as a JSON object. */
    static String call(String url, Headers incoming) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET();
        for (String name : PROPAGATED) {
            String value = incoming.getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> meshHeaders = new TreeMap<>();
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("x-windlass-") || lower.startsWith("x-envoy-")) {
                    meshHeaders.put(lower, String.join(",", values));
                }
            });
            StringBuilder headers = new StringBuilder();
            meshHeaders.forEach((k, v) -> headers.append(headers.isEmpty() ? "" : ",").append(Json.string(k)).append(':').append(Json.string(v)));
            // A proxy's own reply (such as "no healthy upstream") is text: keep the page valid JSON.
            String body = response.body().stripLeading().startsWith("{") ? response.body() : Json.string(response.body());
            return "{\"status\":" + response.statusCode() + ",\"headers\":{" + headers + "},\"body\":" + body + "}";
        } catch (IOException e) {
            return "{\"status\":503,\"error\":" + Json.string(url + ": " + e) + "}";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "{\"status\":503,\"error\":\"interrupted\"}";
        }
    }

    static final class Leaf extends Role {
        private final String payload;

        Leaf(String service, Environment env, String payload) {
            super(service, env);
            this.payload = payload;
        }

        @Override
        Response handle(String path, Headers headers) {
            return new Response(200, "{" + identity() + "," + payload + "}");
        }
    }

    static final class Reviews extends Role {
        Reviews(Environment env) {
            super("reviews", env);
        }

        @Override
        Response handle(String path, Headers headers) {
            String ratings = env.version().equals("v1") ? "null" : call(env.ratingsUrl() + "/ratings/0", headers);
            String stars = switch (env.version()) {
                case "v2" -> "black";
                case "v3" -> "red";
                default -> "none";
            };
            return new Response(200, "{" + identity() + ",\"stars\":" + Json.string(stars) + ",\"ratings\":" + ratings + "}");
        }
    }

    static final class ProductPage extends Role {
        ProductPage(Environment env) {
            super("productpage", env);
        }

        @Override
        Response handle(String path, Headers headers) {
            if (!path.startsWith("/productpage")) {
                return new Response(404, "{\"error\":\"try /productpage\"}");
            }
            String details = call(env.detailsUrl() + "/details/0", headers);
            String reviews = call(env.reviewsUrl() + "/reviews/0", headers);
            return new Response(200, "{" + identity() + ",\"details\":" + details + ",\"reviews\":" + reviews + "}");
        }
    }
}
