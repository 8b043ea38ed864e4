package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.Durations;

import java.time.Duration;

/**
 * Istio's validation of a consistentHash: exactly one hash key (a header, a cookie with its name and ttl, the source
 * IP, a query parameter), one of ringHash or maglev, and a Maglev table size that is prime (Envoy's rule).
 */
final class ConsistentHashRules {
    /** Envoy's largest Maglev table. */
    static final long MAX_TABLE_SIZE = 5_000_011;

    private ConsistentHashRules() {
    }

    static void check(String path, DestinationRuleSpec.ConsistentHash hash, Errors errors) {
        int keys = (hash.httpHeaderName() != null ? 1 : 0) + (hash.httpCookie() != null ? 1 : 0)
                + (Boolean.TRUE.equals(hash.useSourceIp()) ? 1 : 0) + (hash.httpQueryParameterName() != null ? 1 : 0);
        if (keys != 1) {
            errors.add(path, "exactly one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName is required, got " + keys);
        }
        if (hash.httpHeaderName() != null) {
            Values.headerName(path + ".httpHeaderName", hash.httpHeaderName(), errors);
        }
        if (hash.httpQueryParameterName() != null && hash.httpQueryParameterName().isEmpty()) {
            errors.add(path + ".httpQueryParameterName", "must not be empty");
        }
        if (hash.httpCookie() != null) {
            cookie(path + ".httpCookie", hash.httpCookie(), errors);
        }
        if (hash.ringHash() != null && hash.maglev() != null) {
            errors.add(path, "only one of ringHash or maglev can be set");
        }
        if (hash.maglev() != null && hash.maglev().tableSize() != null) {
            long size = hash.maglev().tableSize();
            if (size > MAX_TABLE_SIZE || !prime(size)) {
                errors.add(path + ".maglev.tableSize", "must be a prime number of at most " + MAX_TABLE_SIZE + ", got " + size);
            }
        }
    }

    private static void cookie(String path, DestinationRuleSpec.ConsistentHash.HttpCookie cookie, Errors errors) {
        if (cookie.name() == null || cookie.name().isEmpty()) {
            errors.add(path + ".name", "name required for HttpCookie");
        }
        if (cookie.ttl() == null) {
            errors.add(path + ".ttl", "ttl required for HttpCookie");
            return;
        }
        try {
            Duration ttl = Durations.parse(cookie.ttl());
            if (ttl.isNegative()) {
                errors.add(path + ".ttl", "must not be negative, got " + cookie.ttl());
            }
        } catch (IllegalArgumentException e) {
            errors.add(path + ".ttl", e.getMessage());
        }
    }

    /** Whether {@code n} is prime (Maglev's permutations cover the whole table only then); error below 2^-64. */
    static boolean prime(long n) {
        return n > 1 && java.math.BigInteger.valueOf(n).isProbablePrime(64);
    }
}
