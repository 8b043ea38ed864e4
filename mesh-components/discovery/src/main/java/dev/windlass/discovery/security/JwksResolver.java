package dev.windlass.discovery.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches the JWKS of RequestAuthentications' rules that do not name their keys inline, as istiod does by default
 * (PILOT_JWT_ENABLE_REMOTE_JWKS=false): from {@code jwksUri}, else from the {@code jwks_uri} of the issuer's OpenID
 * configuration; then the proxies get the keys inline, never a fetch of their own. A new source is fetched at once,
 * each again every {@code refresh} (istiod: 20 min), and a push follows when its keys change. A failed fetch is
 * retried after 1 min, then twice as long each time, never longer than {@code refresh} apart; the last keys fetched
 * stay meanwhile for up to 7 days (istiod's eviction), and a source that has none refuses every token
 * ({@link ResolvedJwks#REFUSE_ALL}). Failures are WARN logs naming the RequestAuthentications and the URI (without
 * user info or query), never a crash or a NACK. One thread; each GET times out after 5 s and takes at most 1 MiB.
 */
public final class JwksResolver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JwksResolver.class);
    /** istiod's PILOT_JWT_PUB_KEY_REFRESH_INTERVAL default. */
    public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(20);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_BYTES = 1 << 20;

    /** When to fetch again: after a success, after a first failure (then doubling), and how long old keys may serve. */
    public record Timing(Duration refresh, Duration firstRetry, Duration staleLimit) {
        /** istiod's: JwtPubKeyRefreshIntervalOnFailure 1 min, JwtPubKeyEvictionDuration 7 days. */
        public static Timing istiod(Duration refresh) {
            return new Timing(refresh, Duration.ofMinutes(1), Duration.ofDays(7));
        }
    }

    /** A source in use: who names it, its keys (null: none), and its fetch schedule. Guarded by the resolver. */
    private static final class Entry {
        Set<String> users;
        String keys;
        Instant fetchedAt;
        int failures;
        ScheduledFuture<?> next;
    }

    private final Timing timing;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "jwks-resolver");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<JwksSource, Entry> entries = new HashMap<>();
    private ResolvedJwks resolved = ResolvedJwks.NONE;
    private volatile Runnable onChange = () -> { };

    public JwksResolver(Timing timing, Clock clock) {
        this.timing = timing;
        this.clock = clock;
    }

    /** {@code listener} runs (on the resolver's thread) whenever the keys of a source in use change. */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /**
     * The sources in use now, each with the RequestAuthentications ({@code namespace/name}) that name it: new ones
     * are fetched at once, ones no longer named are forgotten. Returns the keys fetched so far.
     */
    public synchronized ResolvedJwks track(Map<JwksSource, Set<String>> users) {
        boolean forgot = entries.entrySet().removeIf(e -> {
            boolean gone = !users.containsKey(e.getKey());
            if (gone && e.getValue().next != null) {
                e.getValue().next.cancel(false);
            }
            return gone;
        });
        users.forEach((source, names) -> entries.computeIfAbsent(source, s -> {
            Entry entry = new Entry();
            entry.next = schedule(s, Duration.ZERO);
            return entry;
        }).users = Set.copyOf(names));
        if (forgot) {
            republish();
        }
        return resolved;
    }

    public synchronized ResolvedJwks resolved() {
        return resolved;
    }

    /** The next fetch of a source; none once closed. */
    private ScheduledFuture<?> schedule(JwksSource source, Duration delay) {
        try {
            return scheduler.schedule(() -> fetch(source), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            return null;
        }
    }

    private void fetch(JwksSource source) {
        try {
            String uri = source.openIdConfiguration() ? JwksDocuments.jwksUri(get(source.uri())) : source.uri();
            fetched(source, JwksDocuments.reduce(get(uri)));
        } catch (IOException e) {
            failed(source, e.getMessage());
        } catch (IllegalArgumentException e) {
            failed(source, "not a URI the client can fetch"); // its message would quote the whole URI
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failed(source, e.toString()); // a bug of ours must not end the refreshes of every source
        }
    }

    private void fetched(JwksSource source, JwksDocuments.Reduced reduced) {
        boolean changed;
        Set<String> users;
        synchronized (this) {
            Entry entry = entries.get(source);
            if (entry == null) {
                return;
            }
            changed = !Objects.equals(entry.keys, reduced.jwks());
            entry.keys = reduced.jwks();
            entry.fetchedAt = clock.instant();
            entry.failures = 0;
            entry.next = schedule(source, timing.refresh());
            users = entry.users;
            if (changed) {
                republish();
            }
        }
        if (reduced.jwks() == null) {
            LOG.warn("RequestAuthentication {}: the JWKS of {} has no key Windlass verifies with (RS256 RSA, ES256 EC P-256), "
                    + "so its tokens are refused; left out: {}", users, source.forLogs(), reduced.leftOut());
        } else if (changed && !reduced.leftOut().isEmpty()) {
            LOG.warn("RequestAuthentication {}: new keys from {}; left out, so tokens they signed are refused "
                    + "(Windlass verifies RS256 RSA and ES256 EC P-256 keys): {}", users, source.forLogs(), reduced.leftOut());
        } else if (changed) {
            LOG.info("RequestAuthentication {}: new keys from {}", users, source.forLogs());
        }
        if (changed) {
            onChange.run();
        }
    }

    private void failed(JwksSource source, String why) {
        boolean changed;
        Duration retry;
        Set<String> users;
        String serving;
        synchronized (this) {
            Entry entry = entries.get(source);
            if (entry == null) {
                return;
            }
            entry.failures++;
            boolean stale = entry.fetchedAt == null
                    || !clock.instant().isBefore(entry.fetchedAt.plus(timing.staleLimit()));
            changed = stale && entry.keys != null;
            if (stale) {
                entry.keys = null;
            }
            retry = retryDelay(entry.failures);
            entry.next = schedule(source, retry);
            if (changed) {
                republish();
            }
            users = entry.users;
            serving = entry.keys == null ? "tokens of this rule are refused" : "keeping the keys fetched at " + entry.fetchedAt;
        }
        LOG.warn("RequestAuthentication {}: cannot fetch the JWKS of {}: {}; {}; next try in {}", users,
                source.forLogs(), why, serving, retry);
        if (changed) {
            onChange.run();
        }
    }

    /** istiod's backoff: the first retry after {@code firstRetry}, each next twice as late, at most {@code refresh}. */
    private Duration retryDelay(int failures) {
        Duration delay = timing.firstRetry().multipliedBy(1L << Math.min(failures - 1, 20));
        return delay.compareTo(timing.refresh()) > 0 ? timing.refresh() : delay;
    }

    private void republish() {
        Map<JwksSource, String> keys = new HashMap<>();
        entries.forEach((source, entry) -> {
            if (entry.keys != null) {
                keys.put(source, entry.keys);
            }
        });
        resolved = new ResolvedJwks(keys);
    }

    /** A GET of at most {@link #MAX_BYTES}, done within {@link #TIMEOUT}, answered 2xx; the body as text. */
    private String get(String uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> new LimitedBody());
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new IOException("no complete answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("answered " + response.statusCode());
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** A body read into memory, refused once it grows past {@link #MAX_BYTES} (a JWKS is a few KB). */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > MAX_BYTES) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("the answer is larger than " + MAX_BYTES + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.close();
    }
}
