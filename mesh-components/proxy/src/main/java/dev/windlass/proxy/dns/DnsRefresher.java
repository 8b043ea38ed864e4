package dev.windlass.proxy.dns;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.config.ClusterConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Resolves the names of DNS clusters (STRICT_DNS, LOGICAL_DNS) off the data path, with Netty's asynchronous
 * resolver on one event loop, and hands each changed table of addresses to {@code publish}, which swaps it into
 * the config snapshot atomically. Each name is resolved again when its answer's TTL runs out (Envoy's
 * respect_dns_ttl; at least every second), or at the cluster's refresh rate when the TTL is not to be respected or
 * the answer had none. A name that does not exist has no addresses (its hosts leave the cluster, as in Envoy); any
 * other failure keeps the last addresses and retries after 5 s. All state is confined to the event loop.
 */
public final class DnsRefresher implements AutoCloseable {
    private static final Duration MIN_REFRESH = Duration.ofSeconds(1);
    private static final Duration FAILURE_RETRY = Duration.ofSeconds(5);

    private final EventLoop loop;
    private final DnsNameResolver resolver;
    private final TtlRecorder ttls = new TtlRecorder();
    private final Consumer<Map<String, List<InetAddress>>> publish;
    private final Map<String, Tracked> tracked = new HashMap<>();
    private Map<String, List<InetAddress>> table = Map.of();

    /** How one name is refreshed, and its next refresh. */
    private static final class Tracked {
        private ClusterConfig.DnsRefresh refresh;
        private ScheduledFuture<?> next;

        Tracked(ClusterConfig.DnsRefresh refresh) {
            this.refresh = refresh;
        }
    }

    public DnsRefresher(EventLoop loop, Class<? extends DatagramChannel> channel, DnsServerAddressStreamProvider servers,
                        Consumer<Map<String, List<InetAddress>>> publish) {
        this.loop = loop;
        this.publish = publish;
        this.resolver = new DnsNameResolverBuilder(loop).datagramChannelType(channel).nameServerProvider(servers)
                .resolveCache(ttls).resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY).queryTimeoutMillis(5_000)
                .build();
    }

    /** The names the accepted config's DNS clusters need, with how each is refreshed; others are dropped. */
    public void track(Map<String, ClusterConfig.DnsRefresh> names) {
        Map<String, ClusterConfig.DnsRefresh> copy = Map.copyOf(names);
        loop.execute(() -> retarget(copy));
    }

    private void retarget(Map<String, ClusterConfig.DnsRefresh> names) {
        boolean dropped = false;
        for (String name : List.copyOf(tracked.keySet())) {
            if (!names.containsKey(name)) {
                Tracked gone = tracked.remove(name);
                if (gone.next != null) {
                    gone.next.cancel(false);
                }
                dropped |= table.containsKey(name);
            }
        }
        if (dropped) {
            Map<String, List<InetAddress>> kept = new HashMap<>(table);
            kept.keySet().retainAll(names.keySet());
            setTable(kept);
        }
        names.forEach((name, refresh) -> {
            Tracked known = tracked.get(name);
            if (known != null) {
                known.refresh = refresh;
            } else {
                tracked.put(name, new Tracked(refresh));
                resolve(name);
            }
        });
    }

    private void resolve(String name) {
        resolver.resolveAll(name).addListener((Future<List<InetAddress>> f) -> resolved(name, f));
    }

    private void resolved(String name, Future<List<InetAddress>> result) {
        long ttl = ttls.take(name);
        Tracked t = tracked.get(name);
        if (t == null) {
            return; // no longer needed
        }
        Duration next;
        if (result.isSuccess() || result.cause() instanceof UnknownHostException) {
            List<InetAddress> addresses = result.isSuccess() ? List.copyOf(result.getNow()) : List.of();
            update(name, addresses);
            next = t.refresh.respectTtl() && ttl >= 0 ? Duration.ofSeconds(ttl) : t.refresh.rate();
        } else {
            Log.warn("dns: resolving " + name + " failed (" + result.cause() + "); keeping its last addresses");
            next = FAILURE_RETRY;
        }
        long millis = Math.max(next.toMillis(), MIN_REFRESH.toMillis());
        t.next = loop.schedule(() -> resolve(name), millis, TimeUnit.MILLISECONDS);
    }

    private void update(String name, List<InetAddress> addresses) {
        if (!addresses.equals(table.get(name))) {
            Map<String, List<InetAddress>> changed = new HashMap<>(table);
            changed.put(name, addresses);
            Log.debug("dns: " + name + " -> " + addresses);
            setTable(changed);
        }
    }

    private void setTable(Map<String, List<InetAddress>> newTable) {
        table = Map.copyOf(newTable);
        publish.accept(table);
    }

    @Override
    public void close() {
        loop.execute(() -> {
            tracked.values().forEach(t -> {
                if (t.next != null) {
                    t.next.cancel(false);
                }
            });
            tracked.clear();
            resolver.close();
        });
    }
}
