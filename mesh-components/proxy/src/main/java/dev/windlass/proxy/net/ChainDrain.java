package dev.windlass.proxy.net;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.FilterChain;
import dev.windlass.proxy.config.ListenerConfig;
import dev.windlass.proxy.http.HttpService;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.AttributeKey;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drains the downstream connections whose filter chain a new snapshot changed or removed, as Envoy does on a
 * filter chain update: an HTTP connection finishes the request in flight and closes (HTTP/1.1 at once when idle,
 * HTTP/2 with GOAWAY; one that has sent nothing yet at once), so its client's next request meets the new chain; a
 * TCP connection is closed after the drain time. Without it a keep-alive connection would keep a policy that no longer applies.
 */
public final class ChainDrain implements Consumer<ConfigSnapshot> {
    private static final AttributeKey<Served> SERVED = AttributeKey.valueOf("windlass.chain");
    private final ChannelGroup downstreams;
    private final Duration tcpGrace;
    /** The listeners of the previous snapshot (snapshots come one at a time, on the ADS thread). */
    private Map<String, ListenerConfig> last;

    private record Served(String listener, io.envoyproxy.envoy.config.listener.v3.FilterChain chain, boolean http) {
    }

    public ChainDrain(ChannelGroup downstreams, Duration tcpGrace) {
        this.downstreams = downstreams;
        this.tcpGrace = tcpGrace;
    }

    /** Remembers which chain of which listener took the connection. */
    static void record(Channel channel, ListenerConfig listener, FilterChain chain) {
        if (listener != null && chain.source() != null) {
            channel.attr(SERVED).set(new Served(listener.name(), chain.source(),
                    chain.action() instanceof dev.windlass.proxy.config.NetworkAction.Http));
        }
    }

    @Override
    public void accept(ConfigSnapshot snapshot) {
        if (sameListeners(snapshot.listeners())) {
            return;
        }
        for (Channel channel : downstreams) {
            Served served = channel.attr(SERVED).get();
            if (served == null) {
                continue;
            }
            ListenerConfig listener = snapshot.listener(served.listener());
            if (listener == null || !listener.serves(served.chain())) {
                channel.attr(SERVED).set(null);
                channel.eventLoop().execute(() -> drain(channel, served));
            }
        }
    }

    /** Most snapshots change endpoints or clusters only, and keep every compiled listener as it was. */
    private boolean sameListeners(Map<String, ListenerConfig> now) {
        Map<String, ListenerConfig> before = last;
        last = now;
        if (before == null || before.size() != now.size()) {
            return false;
        }
        for (Map.Entry<String, ListenerConfig> e : now.entrySet()) {
            if (before.get(e.getKey()) != e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void drain(Channel channel, Served served) {
        Log.debug("draining " + channel + ": its chain " + served.chain().getName() + " of " + served.listener()
                + " changed");
        if (served.http() && HttpService.speaking(channel)) {
            channel.pipeline().fireUserEventTriggered(HttpService.DRAIN);
        } else if (served.http()) {
            channel.close();
        } else {
            channel.eventLoop().schedule(() -> channel.close(), tcpGrace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
