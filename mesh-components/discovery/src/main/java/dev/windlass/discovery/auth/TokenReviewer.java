package dev.windlass.discovery.auth;

import dev.windlass.contract.MeshIdentity;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks ServiceAccount tokens with the apiserver (TokenReview, audience {@value MeshIdentity#CA_AUDIENCE}), as
 * istiod does. A token accepted is remembered for a minute, so that a proxy's reconnects and certificate
 * requests, or thousands of proxies starting at once, do not each cost a review; a pod-bound token stops working
 * within that minute once its pod is gone.
 */
public final class TokenReviewer implements TokenAuthenticator {
    static final String POD_NAME_EXTRA = "authentication.kubernetes.io/pod-name";
    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    private static final Duration REMEMBER = Duration.ofMinutes(1);
    private static final int MAX_REMEMBERED = 20_000;

    private record Remembered(Caller caller, Instant until) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Remembered> accepted = new ConcurrentHashMap<>();

    public TokenReviewer(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public Caller authenticate(String token) throws Unauthenticated {
        Instant now = clock.instant();
        Remembered known = accepted.get(token);
        if (known != null && known.until().isAfter(now)) {
            return known.caller();
        }
        Caller caller = review(token);
        if (accepted.size() >= MAX_REMEMBERED) {
            accepted.values().removeIf(r -> !r.until().isAfter(now));
        }
        if (accepted.size() < MAX_REMEMBERED) {
            accepted.put(token, new Remembered(caller, now.plus(REMEMBER)));
        }
        return caller;
    }

    private Caller review(String token) throws Unauthenticated {
        TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token)
                .withAudiences(MeshIdentity.CA_AUDIENCE).endSpec().build();
        TokenReviewStatus status;
        try {
            status = client.resource(review).create().getStatus();
        } catch (KubernetesClientException e) {
            throw new Unauthenticated("the token could not be reviewed (apiserver: " + e.getCode() + ")");
        }
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
            String why = status == null || status.getError() == null ? "not authenticated" : status.getError();
            throw new Unauthenticated("the token was refused by the apiserver: " + why);
        }
        if (status.getAudiences() == null || !status.getAudiences().contains(MeshIdentity.CA_AUDIENCE)) {
            throw new Unauthenticated("the token is not for the audience " + MeshIdentity.CA_AUDIENCE);
        }
        return caller(status.getUser().getUsername(), status.getUser().getExtra());
    }

    static Caller caller(String username, Map<String, List<String>> extra) throws Unauthenticated {
        String[] parts = username == null || !username.startsWith(SERVICE_ACCOUNT_PREFIX) ? new String[0]
                : username.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new Unauthenticated("the token is not a ServiceAccount's (user " + username + ")");
        }
        List<String> pod = extra == null ? List.of() : extra.getOrDefault(POD_NAME_EXTRA, List.of());
        return new Caller(parts[0], parts[1], pod.isEmpty() ? "" : pod.getFirst());
    }
}
