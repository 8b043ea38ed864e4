package dev.windlass.discovery.routing;

import java.time.Duration;
import java.util.List;

/** What an HTTP rule does with a matching request: forward it, redirect the client, or answer directly. */
public sealed interface HttpAction {

    /**
     * Forward to weighted destinations. {@code timeout} null means none (Istio's default); {@code retries} is the
     * policy to apply (Istio's default one when the rule says nothing).
     */
    record Forward(List<WeightedDestination> destinations, Duration timeout, RetryPolicy retries,
                   List<Mirror> mirrors, Rewrite rewrite) implements HttpAction {
        public Forward {
            destinations = List.copyOf(destinations);
            mirrors = List.copyOf(mirrors);
        }
    }

    /** Any part left null (or port 0) keeps the request's own. */
    record Redirect(String path, String authority, int port, String scheme, int code) implements HttpAction {
    }

    record Reply(int status, String body) implements HttpAction {
    }

    /** A copy of each request to another cluster, for {@code percent} of the requests; the answer is dropped. */
    record Mirror(ClusterRef cluster, double percent) {
    }

    /**
     * How the request is rewritten before it leaves: a path prefix replacing the matched prefix (or the whole
     * path for an exact match), or a regex substitution; and the authority.
     */
    record Rewrite(String prefix, String regex, String substitution, String authority) {
        public static final Rewrite NONE = new Rewrite(null, null, null, null);

        public boolean isEmpty() {
            return prefix == null && regex == null && authority == null;
        }
    }
}
