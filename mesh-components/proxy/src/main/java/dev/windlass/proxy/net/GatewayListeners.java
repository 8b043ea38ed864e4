package dev.windlass.proxy.net;

import dev.windlass.contract.IstioNames;
import dev.windlass.proxy.Log;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.ListenerConfig;
import io.netty.channel.Channel;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A gateway binds the ports of its listeners itself (there is no iptables in front of it): on each snapshot it
 * binds the new listeners and closes the removed ones. Listeners with bind_to_port false and the two virtual
 * listeners are never bound. Runs on the ADS thread only.
 */
public final class GatewayListeners {
    private final BiFunction<ListenerConfig, String, Channel> binder;
    private final Map<String, Channel> bound = new HashMap<>();
    private final Map<String, String> addresses = new HashMap<>();

    /** {@code binder} binds a listener's address and port and returns the server channel, or null on failure. */
    public GatewayListeners(BiFunction<ListenerConfig, String, Channel> binder) {
        this.binder = binder;
    }

    public synchronized void reconcile(ConfigSnapshot snapshot) {
        Map<String, ListenerConfig> wanted = new HashMap<>();
        for (ListenerConfig listener : snapshot.listeners().values()) {
            if (listener.bindToPort() && listener.port() > 0 && !listener.name().equals(IstioNames.VIRTUAL_INBOUND)
                    && !listener.name().equals(IstioNames.VIRTUAL_OUTBOUND)) {
                wanted.put(listener.name(), listener);
            }
        }
        bound.entrySet().removeIf(entry -> {
            ListenerConfig listener = wanted.get(entry.getKey());
            boolean keep = listener != null && addressOf(listener).equals(addresses.get(entry.getKey()));
            if (!keep) {
                Log.info("gateway: closing listener " + entry.getKey());
                entry.getValue().close().syncUninterruptibly();
            }
            return !keep;
        });
        wanted.forEach((name, listener) -> {
            if (!bound.containsKey(name)) {
                Channel channel = binder.apply(listener, name);
                if (channel != null) {
                    bound.put(name, channel);
                    addresses.put(name, addressOf(listener));
                }
            }
        });
    }

    private static String addressOf(ListenerConfig listener) {
        return listener.address() + ":" + listener.port();
    }

    public synchronized void close() {
        bound.values().forEach(channel -> channel.close().syncUninterruptibly());
        bound.clear();
    }
}
