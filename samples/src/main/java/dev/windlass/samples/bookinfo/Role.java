package dev.windlass.samples.bookinfo;

import com.sun.net.httpserver.Headers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The four Bookinfo services. productpage calls details and reviews; reviews v2 and v3 call ratings. */
public abstract sealed class Role {
    /**
     * Headers passed on to upstream calls: upstream Bookinfo's list (trace contexts, the mesh's request id, the
     * user agent) plus end-user, which Istio's routing and fault tasks match on. Not cookie: productpage turns its
     * session cookie into end-user itself.
     */
    static final List<String> PROPAGATED = List.of("x-request-id", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid",
            "x-b3-sampled", "x-b3-flags", "b3", "traceparent", "tracestate", "x-ot-span-context", "x-datadog-trace-id",
            "x-datadog-parent-id", "x-datadog-sampling-priority", "x-cloud-trace-context", "grpc-trace-bin", "sw8",
            "user-agent", "end-user");
    static final String RATINGS_UNAVAILABLE = "Ratings service is currently unavailable";

    final Environment env;
    final String service;

    private Role(String service, Environment env) {
        this.service = service;
        this.env = env;
    }

    /** A response: JSON unless the role says otherwise. */
    public record Response(int status, String body, String contentType, Map<String, String> headers) {
        public Response(int status, String body) {
            this(status, body, "application/json", Map.of());
        }
    }

    /** What a role sees of a request. {@code query} and {@code body} are raw (URL-encoded), possibly empty. */
    public record Request(String method, String path, String query, Headers headers, String body) {
        public static Request get(String path, Headers headers) {
            return new Request("GET", path, "", headers, "");
        }
    }

    public static Role named(String name, Environment env) {
        return switch (name) {
            case "productpage" -> new ProductPage(env);
            case "details" -> new Leaf("details", env, "\"book\":{\"id\":0,\"author\":\"William Shakespeare\",\"year\":1595,"
                    + "\"type\":\"paperback\",\"pages\":200,\"publisher\":\"PublisherA\",\"language\":\"English\","
                    + "\"ISBN-10\":\"1234567890\",\"ISBN-13\":\"123-1234567890\"}");
            case "ratings" -> new Leaf("ratings", env, "\"id\":0,\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}");
            case "reviews" -> new Reviews(env);
            default -> throw new IllegalArgumentException("unknown role '" + name + "'; use productpage, details, reviews or ratings");
        };
    }

    abstract Response handle(Request request);

    /** The fields every response carries: who served it. */
    String identity() {
        return "\"service\":" + Json.string(service) + ",\"version\":" + Json.string(env.version())
                + ",\"pod\":" + Json.string(env.pod());
    }

    /** The propagated headers of an incoming request, lower-case names. */
    static Map<String, String> forwarded(Headers incoming) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : PROPAGATED) {
            String value = incoming.getFirst(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    static final class Leaf extends Role {
        private final String payload;

        Leaf(String service, Environment env, String payload) {
            super(service, env);
            this.payload = payload;
        }

        @Override
        Response handle(Request request) {
            return new Response(200, "{" + identity() + "," + payload + "}");
        }
    }

    /** Two reviews of the book; v2 and v3 add each reviewer's stars from ratings, in black or red. */
    static final class Reviews extends Role {
        private static final Map<String, String> TEXTS = Map.of(
                "Reviewer1", "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!",
                "Reviewer2", "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.");

        Reviews(Environment env) {
            super("reviews", env);
        }

        String stars() {
            return switch (env.version()) {
                case "v2" -> "black";
                case "v3" -> "red";
                default -> "none";
            };
        }

        @Override
        Response handle(Request request) {
            Upstream.Result ratings = null;
            if (!env.version().equals("v1")) {
                // As upstream: red-star reviews gives ratings less time; no retry; any non-2xx means unavailable.
                Duration timeout = stars().equals("red") ? env.timeouts().ratingsRed() : env.timeouts().ratingsBlack();
                ratings = Upstream.get(env.ratingsUrl() + "/ratings/0", forwarded(request.headers()), timeout, 1);
            }
            // ratings keeps the JSON API's shape (503 when no response); ratingsStatus is the real one, 0 for none.
            String ratingsJson = ratings == null ? "null,\"ratingsStatus\":null" : ratings.toJson() + ",\"ratingsStatus\":" + ratings.status();
            return new Response(200, "{" + identity() + ",\"stars\":" + Json.string(stars()) + ",\"ratings\":" + ratingsJson
                    + ",\"id\":\"0\",\"podname\":" + Json.string(env.pod()) + ",\"reviews\":" + Json.write(reviews(ratings)) + "}");
        }

        /** Upstream's reviews array: a rating per reviewer when ratings answered, its error text when it did not. */
        private List<Object> reviews(Upstream.Result ratings) {
            Object stars = ratings != null && ratings.ok() ? Json.at(ratings.json(), "ratings") : null;
            List<Object> reviews = new ArrayList<>();
            for (String reviewer : List.of("Reviewer1", "Reviewer2")) {
                Map<String, Object> review = new LinkedHashMap<>();
                review.put("reviewer", reviewer);
                review.put("text", TEXTS.get(reviewer));
                if (ratings != null) {
                    Object count = Json.at(stars, reviewer);
                    Map<String, Object> rating = new LinkedHashMap<>();
                    if (count instanceof Number n) {
                        rating.put("stars", n.longValue());
                        rating.put("color", stars());
                    } else {
                        rating.put("error", RATINGS_UNAVAILABLE);
                    }
                    review.put("rating", rating);
                }
                reviews.add(review);
            }
            return reviews;
        }
    }

    static final class ProductPage extends Role {
        ProductPage(Environment env) {
            super("productpage", env);
        }

        @Override
        Response handle(Request request) {
            return switch (request.path()) {
                case "/productpage" -> page(request);
                case "/api/v1/products/0" -> api(request);
                case "/login" -> Session.login(request);
                case "/logout" -> Session.logout();
                case "/", "/index.html" -> new Response(200, ProductPageHtml.index(), ProductPageHtml.TYPE, Map.of());
                default -> new Response(404, "{\"error\":\"try /productpage or /api/v1/products/0\"}");
            };
        }

        /** The HTML page, as upstream renders it, with data-* markers of who answered. */
        private Response page(Request request) {
            String user = Session.user(request.headers());
            Map<String, String> headers = upstreamHeaders(request, user);
            Upstream.Result details = details(headers);
            Upstream.Result reviews = reviews(headers);
            String html = new ProductPageHtml(env, user).render(details, reviews);
            return new Response(200, html, ProductPageHtml.TYPE, Map.of());
        }

        /** The JSON view of the same calls: who served productpage, and each upstream's status, mesh headers and body. */
        private Response api(Request request) {
            Map<String, String> headers = upstreamHeaders(request, Session.user(request.headers()));
            Upstream.Result details = details(headers);
            Upstream.Result reviews = reviews(headers);
            return new Response(200, "{" + identity() + ",\"details\":" + details.toJson() + ",\"reviews\":" + reviews.toJson() + "}");
        }

        private Upstream.Result details(Map<String, String> headers) {
            return Upstream.get(env.detailsUrl() + "/details/0", headers, env.timeouts().details(), 1);
        }

        private Upstream.Result reviews(Map<String, String> headers) {
            return Upstream.get(env.reviewsUrl() + "/reviews/0", headers, env.timeouts().reviews(), env.timeouts().reviewsAttempts());
        }

        /** The propagated headers, with end-user set from the session when someone is logged in. */
        private static Map<String, String> upstreamHeaders(Request request, String user) {
            Map<String, String> headers = forwarded(request.headers());
            if (user != null) {
                headers.put("end-user", user);
            }
            return headers;
        }
    }
}
