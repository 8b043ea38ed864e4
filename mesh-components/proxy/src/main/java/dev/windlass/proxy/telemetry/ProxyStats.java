package dev.windlass.proxy.telemetry;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/** The proxy's own counters, shown by /stats (Envoy-style {@code name: value}) and exported to Prometheus. */
public final class ProxyStats {

    public enum Stat {
        DOWNSTREAM_CX_TOTAL, DOWNSTREAM_CX_ACTIVE, DOWNSTREAM_RQ_TOTAL, DOWNSTREAM_RQ_ACTIVE,
        DOWNSTREAM_RQ_431, DOWNSTREAM_RQ_414, DOWNSTREAM_RQ_400, DOWNSTREAM_CX_NO_ROUTE,
        UPSTREAM_CX_TOTAL, UPSTREAM_CX_CONNECT_FAIL, UPSTREAM_RQ_TOTAL, UPSTREAM_RQ_REUSED,
        NO_ROUTE, NO_HEALTHY_UPSTREAM, TCP_CX_TOTAL, TCP_CX_ACTIVE, PASSTHROUGH_CX_TOTAL, BLACKHOLE_CX_TOTAL,
        INBOUND_RQ_TOTAL, OUTBOUND_RQ_TOTAL,
        /** Envoy's router and fault-filter counters, by Envoy's names. */
        UPSTREAM_RQ_RETRY, UPSTREAM_RQ_RETRY_SUCCESS, UPSTREAM_RQ_TIMEOUT, UPSTREAM_RQ_PER_TRY_TIMEOUT,
        /** Circuit breaking: requests answered 503 UO, connections wanted beyond max_connections, retries not made for max_retries. */
        UPSTREAM_RQ_PENDING_OVERFLOW, UPSTREAM_CX_OVERFLOW, UPSTREAM_RQ_RETRY_OVERFLOW,
        FAULT_DELAYS_INJECTED, FAULT_ABORTS_INJECTED, CORS_PREFLIGHTS_ANSWERED, SHADOW_RQ_TOTAL, SHADOW_RQ_SKIPPED,
        /** TLS termination: completed handshakes, failed ones, and connections refused for want of a certificate. */
        SSL_HANDSHAKE, SSL_CONNECTION_ERROR, SSL_NO_CERTIFICATE,
        /** Upstream HTTP connections closed (or drained) for reaching max_connection_duration. */
        UPSTREAM_CX_MAX_DURATION_REACHED,
        /**
         * RBAC filters: requests let through or answered 403, connections let through or closed; requests and
         * connections an AUDIT policy (Envoy's LOG action) matched, each also logged with the policy's name.
         */
        RBAC_ALLOWED, RBAC_DENIED, RBAC_CX_ALLOWED, RBAC_CX_DENIED, RBAC_AUDITED, RBAC_CX_AUDITED,
        /** The JWT filter (RequestAuthentication): requests let through (with or without a token), or refused. */
        JWT_AUTHN_ALLOWED, JWT_AUTHN_DENIED,
        /**
         * Downstream h2c: connections closed with GOAWAY ENHANCE_YOUR_CALM (a flood of RST_STREAM, i.e. rapid reset,
         * or of empty frames), closed with GOAWAY for another connection error, and streams reset for a stream
         * error (RST_STREAM other than NO_ERROR and CANCEL: a malformed request, a frame its state forbids).
         */
        DOWNSTREAM_CX_H2_FLOOD, DOWNSTREAM_CX_H2_PROTOCOL_ERROR, DOWNSTREAM_RQ_H2_STREAM_ERROR,
        /** HTTP/1.1 connections switched to a WebSocket tunnel (the upstream answered 101), by Envoy's names. */
        DOWNSTREAM_CX_UPGRADES_TOTAL, DOWNSTREAM_CX_UPGRADES_ACTIVE,
        /**
         * The connection manager's timeouts, by Envoy's names: a request head not received within
         * request_headers_timeout, a request not received within request_timeout, a request in flight idle for
         * stream_idle_timeout, a connection without requests idle for idle_timeout.
         */
        DOWNSTREAM_RQ_HEADER_TIMEOUT, DOWNSTREAM_RQ_TIMEOUT, DOWNSTREAM_RQ_IDLE_TIMEOUT, DOWNSTREAM_CX_IDLE_TIMEOUT;

        public String statName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The per-cluster counters /stats shows as {@code cluster.<name>.<stat>}, as Envoy does. */
    public enum ClusterStat {
        UPSTREAM_RQ_TOTAL, UPSTREAM_RQ_RETRY, UPSTREAM_RQ_TIMEOUT, UPSTREAM_RQ_PER_TRY_TIMEOUT,
        UPSTREAM_RQ_PENDING_OVERFLOW, UPSTREAM_CX_OVERFLOW, UPSTREAM_RQ_RETRY_OVERFLOW,
        UPSTREAM_CX_MAX_DURATION_REACHED
    }

    /**
     * Why the proxy refused a request it could not forward safely (RFC 9112/9110/9113), with the status it answered;
     * /stats shows each as {@code windlass.downstream_rq_refused.<reason>}.
     */
    public enum Refusal {
        REQUEST_LINE(400), VERSION(505), TARGET(400), HEADER_SYNTAX(400), HEADER_VALUE(400), OBS_FOLD(400),
        BARE_LINE_FEED(400), HOST_MISSING(400), HOST_DUPLICATE(400), HOST_INVALID(400), CONTENT_LENGTH(400),
        TRANSFER_ENCODING(400), TRANSFER_CODING_UNSUPPORTED(501), CHUNK_SIZE(400), CHUNK_EXTENSION(400),
        CHUNK_DATA(400), TRAILER(400), LINE_TOO_LONG(414), HEADERS_TOO_LARGE(431);

        private final int status;

        Refusal(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }

        public String statName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final LongAdder[] counters = new LongAdder[Stat.values().length];
    private final LongAdder[] refusals = new LongAdder[Refusal.values().length];
    private final java.util.concurrent.ConcurrentHashMap<String, LongAdder[]> clusters = new java.util.concurrent.ConcurrentHashMap<>();

    public ProxyStats() {
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    public void increment(Refusal refusal) {
        refusals[refusal.ordinal()].increment();
    }

    public long get(Refusal refusal) {
        return refusals[refusal.ordinal()].sum();
    }

    public void increment(Stat stat) {
        counters[stat.ordinal()].increment();
    }

    public void decrement(Stat stat) {
        counters[stat.ordinal()].decrement();
    }

    public long get(Stat stat) {
        return counters[stat.ordinal()].sum();
    }

    /** Counts for one cluster; the map lookup is by the cluster's name, which a request already holds. */
    public void increment(String cluster, ClusterStat stat) {
        LongAdder[] adders = clusters.get(cluster);
        if (adders == null) {
            adders = clusters.computeIfAbsent(cluster, c -> {
                LongAdder[] fresh = new LongAdder[ClusterStat.values().length];
                for (int i = 0; i < fresh.length; i++) {
                    fresh[i] = new LongAdder();
                }
                return fresh;
            });
        }
        adders[stat.ordinal()].increment();
    }

    public long get(String cluster, ClusterStat stat) {
        LongAdder[] adders = clusters.get(cluster);
        return adders == null ? 0 : adders[stat.ordinal()].sum();
    }

    public void writeText(StringBuilder out) {
        for (Stat stat : Stat.values()) {
            out.append("windlass.").append(stat.statName()).append(": ").append(get(stat)).append('\n');
        }
        for (Refusal refusal : Refusal.values()) {
            out.append("windlass.downstream_rq_refused.").append(refusal.statName()).append(": ").append(get(refusal))
                    .append('\n');
        }
        new java.util.TreeMap<>(clusters).forEach((name, adders) -> {
            for (ClusterStat stat : ClusterStat.values()) {
                out.append("cluster.").append(name).append('.').append(stat.name().toLowerCase(Locale.ROOT))
                        .append(": ").append(adders[stat.ordinal()].sum()).append('\n');
            }
        });
    }

    public void writePrometheus(StringBuilder out) {
        for (Stat stat : Stat.values()) {
            String name = "windlass_proxy_" + stat.statName();
            boolean gauge = stat.name().endsWith("_ACTIVE");
            out.append("# TYPE ").append(name).append(gauge ? " gauge\n" : " counter\n");
            out.append(name).append(' ').append(get(stat)).append('\n');
        }
        out.append("# TYPE windlass_proxy_downstream_rq_refused counter\n");
        for (Refusal refusal : Refusal.values()) {
            out.append("windlass_proxy_downstream_rq_refused{reason=\"").append(refusal.statName()).append("\"} ")
                    .append(get(refusal)).append('\n');
        }
    }
}
