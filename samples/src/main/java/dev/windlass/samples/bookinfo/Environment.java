package dev.windlass.samples.bookinfo;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

/** Who this instance is, and where its upstreams are; from the environment, as Kubernetes sets it. */
public record Environment(String version, String pod, String detailsUrl, String reviewsUrl, String ratingsUrl,
                          Timeouts timeouts) {

    /**
     * The per-attempt timeouts of the upstream calls. Istio's fault-injection and timeout tasks depend on upstream
     * Bookinfo's values, so those are the defaults; tests shorten them.
     *
     * @param reviewsAttempts productpage tries reviews this many times (upstream: twice, "for _ in range(2)")
     * @param ratingsBlack    reviews with black stars (v2) waits this long for ratings (upstream: 10 s)
     * @param ratingsRed      reviews with red stars (v3) waits this long (upstream: 2.5 s)
     */
    public record Timeouts(Duration details, Duration reviews, int reviewsAttempts, Duration ratingsBlack, Duration ratingsRed) {
        public static final Timeouts UPSTREAM = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(3), 2,
                Duration.ofSeconds(10), Duration.ofMillis(2500));
    }

    public Environment(String version, String pod, String detailsUrl, String reviewsUrl, String ratingsUrl) {
        this(version, pod, detailsUrl, reviewsUrl, ratingsUrl, Timeouts.UPSTREAM);
    }

    public static Environment fromSystem() {
        Map<String, String> env = System.getenv();
        return new Environment(
                env.getOrDefault("VERSION", "v1"),
                env.getOrDefault("POD_NAME", hostname()),
                env.getOrDefault("DETAILS_URL", "http://details:9080"),
                env.getOrDefault("REVIEWS_URL", "http://reviews:9080"),
                env.getOrDefault("RATINGS_URL", "http://ratings:9080"));
    }

    public Environment withTimeouts(Timeouts timeouts) {
        return new Environment(version, pod, detailsUrl, reviewsUrl, ratingsUrl, timeouts);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
