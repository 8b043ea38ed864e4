package dev.windlass.proxy.dns;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.resolver.dns.DnsCache;
import io.netty.resolver.dns.DnsCacheEntry;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resolver's cache, made to cache nothing and to remember each answer's TTL instead: Netty's resolver hands
 * every answer's TTL to its cache and exposes it nowhere else. Caching nothing means every refresh asks the
 * server, as Envoy's DNS clusters do; the refresher itself waits out the TTL before asking again.
 */
final class TtlRecorder implements DnsCache {
    private final Map<String, Long> ttls = new ConcurrentHashMap<>();

    @Override
    public void clear() {
        ttls.clear();
    }

    @Override
    public boolean clear(String hostname) {
        return ttls.remove(normalize(hostname)) != null;
    }

    @Override
    public List<? extends DnsCacheEntry> get(String hostname, DnsRecord[] additionals) {
        return null;
    }

    @Override
    public DnsCacheEntry cache(String hostname, DnsRecord[] additionals, InetAddress address, long originalTtl,
                               EventLoop loop) {
        ttls.merge(normalize(hostname), originalTtl, Math::min);
        return new Entry(address, null);
    }

    @Override
    public DnsCacheEntry cache(String hostname, DnsRecord[] additionals, Throwable cause, EventLoop loop) {
        return new Entry(null, cause);
    }

    /**
     * The smallest TTL (seconds) recorded since the last call for {@code hostname} or a search-domain expansion of
     * it ({@code name.ns.svc.cluster.local} for {@code name}), forgetting them; -1 when the answer had none (a
     * hosts-file entry).
     */
    long take(String hostname) {
        String name = normalize(hostname);
        long min = -1;
        for (String key : List.copyOf(ttls.keySet())) {
            if (key.equals(name) || key.startsWith(name + ".")) {
                Long ttl = ttls.remove(key);
                if (ttl != null && (min < 0 || ttl < min)) {
                    min = ttl;
                }
            }
        }
        return min;
    }

    private static String normalize(String hostname) {
        String lower = hostname.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private record Entry(InetAddress address, Throwable cause) implements DnsCacheEntry {
    }
}
