package dev.windlass.samples.bookinfo;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/** Who this instance is, and where its upstreams are; from the environment, as Kubernetes sets it. */
public record Environment(String version, String pod, String detailsUrl, String reviewsUrl, String ratingsUrl) {

    public static Environment fromSystem() {
        Map<String, String> env = System.getenv();
        return new Environment(
                env.getOrDefault("VERSION", "v1"),
                env.getOrDefault("POD_NAME", hostname()),
                env.getOrDefault("DETAILS_URL", "http://details:9080"),
                env.getOrDefault("REVIEWS_URL", "http://reviews:9080"),
                env.getOrDefault("RATINGS_URL", "http://ratings:9080"));
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
