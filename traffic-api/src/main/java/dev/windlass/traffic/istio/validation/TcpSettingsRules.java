package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.DestinationRuleSpec.ConnectionPool;

import java.time.Duration;

/**
 * Istio's validation of {@code tcp.tcpKeepalive} and {@code tcp.maxConnectionDuration} (durations of at least 1ms),
 * plus what the kernel cannot take: keepalive times are whole seconds (Istio writes the seconds, truncated, so a time
 * below 1s would ask for 0, which Linux rejects), at most 32767 s, and at most 127 probes.
 */
final class TcpSettingsRules {
    /** Linux's MAX_TCP_KEEPIDLE / MAX_TCP_KEEPINTVL (seconds) and MAX_TCP_KEEPCNT. */
    static final long MAX_KEEPALIVE_SECONDS = 32767;
    static final int MAX_KEEPALIVE_PROBES = 127;

    private TcpSettingsRules() {
    }

    static void check(String path, ConnectionPool.Tcp tcp, Errors errors) {
        if (tcp.maxConnectionDuration() != null) {
            Values.duration(path + ".maxConnectionDuration", tcp.maxConnectionDuration(), errors);
        }
        ConnectionPool.TcpKeepalive keepalive = tcp.tcpKeepalive();
        if (keepalive == null) {
            return;
        }
        String at = path + ".tcpKeepalive";
        Values.nonNegative(at + ".probes", keepalive.probes(), errors);
        if (keepalive.probes() != null && keepalive.probes() > MAX_KEEPALIVE_PROBES) {
            errors.notSupported(at + ".probes", "above " + MAX_KEEPALIVE_PROBES + ", the kernel's limit");
        }
        seconds(at + ".time", keepalive.time(), errors);
        seconds(at + ".interval", keepalive.interval(), errors);
    }

    private static void seconds(String path, String text, Errors errors) {
        if (text == null) {
            return;
        }
        Duration d = Values.duration(path, text, errors);
        if (d != null && d.getSeconds() < 1) {
            errors.notSupported(path, "below 1s: TCP keepalive counts whole seconds");
        } else if (d != null && d.getSeconds() > MAX_KEEPALIVE_SECONDS) {
            errors.notSupported(path, "above " + MAX_KEEPALIVE_SECONDS + "s, the kernel's limit");
        }
    }
}
