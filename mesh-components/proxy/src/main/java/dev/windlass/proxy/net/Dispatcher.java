package dev.windlass.proxy.net;

import dev.windlass.contract.IstioNames;
import dev.windlass.proxy.Log;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.FilterChain;
import dev.windlass.proxy.config.ListenerConfig;
import dev.windlass.proxy.config.NetworkAction;
import dev.windlass.proxy.http.HttpService;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/**
 * Decides what an accepted connection is: which listener and filter chain it belongs to, from its original
 * destination, and then starts TCP proxying or HTTP on it. One snapshot is read per connection.
 */
public final class Dispatcher {
    private final ProxyContext ctx;
    private final HttpService http;

    public Dispatcher(ProxyContext ctx, HttpService http) {
        this.ctx = ctx;
        this.http = http;
    }

    /** 15001: the per-port listener for the original destination, else virtualOutbound's own chains. */
    public void outbound(Channel channel) {
        InetSocketAddress destination = ctx.resolver().originalDestination(channel);
        if (destination == null) {
            refuse(channel, "outbound connection without an original destination");
            return;
        }
        ConfigSnapshot snapshot = ctx.config().current();
        String ip = destination.getAddress().getHostAddress();
        ListenerConfig listener = snapshot.listenerFor(ip, destination.getPort());
        if (listener == null || listener.name().equals(IstioNames.VIRTUAL_OUTBOUND)) {
            outboundChosen(channel, snapshot, null, null, destination);
            return;
        }
        ListenerConfig portListener = listener;
        selectChain(channel, listener, destination,
                chain -> outboundChosen(channel, snapshot, chain, portListener, destination));
    }

    /** A per-port listener's chain, else virtualOutbound's own chains. */
    private void outboundChosen(Channel channel, ConfigSnapshot snapshot, FilterChain chain, ListenerConfig listener,
                                InetSocketAddress destination) {
        if (chain == null) {
            listener = snapshot.listener(IstioNames.VIRTUAL_OUTBOUND);
            chain = listener == null ? null : listener.select(destination.getAddress(), destination.getPort());
        }
        run(channel, listener, chain, Direction.OUTBOUND, destination);
    }

    /**
     * The listener's chain for the destination: at once when no chain depends on TLS or SNI, else once the
     * connection's first bytes have told (Envoy's tls_inspector).
     */
    private static void selectChain(Channel channel, ListenerConfig listener, InetSocketAddress destination,
                                    java.util.function.Consumer<FilterChain> chosen) {
        if (!listener.inspectsClientHello(destination.getAddress(), destination.getPort())) {
            chosen.accept(listener.select(destination.getAddress(), destination.getPort()));
            return;
        }
        channel.pipeline().addLast("client-hello", new ClientHelloSniffer((c, tls, hello) ->
                chosen.accept(listener.select(destination.getAddress(), destination.getPort(), tls, hello.serverName(),
                        hello.alpn()))));
    }

    /** 15006: virtualInbound's chain for the original destination port (and transport, when its chains say). */
    public void inbound(Channel channel) {
        InetSocketAddress destination = ctx.resolver().originalDestination(channel);
        if (destination == null) {
            refuse(channel, "inbound connection without an original destination");
            return;
        }
        ListenerConfig listener = ctx.config().current().listener(IstioNames.VIRTUAL_INBOUND);
        if (listener == null) {
            run(channel, null, null, Direction.INBOUND, destination);
            return;
        }
        // Mesh mTLS and plain text share a port in PERMISSIVE mode: the ClientHello tells them apart.
        selectChain(channel, listener, destination, chain -> run(channel, listener, chain, Direction.INBOUND, destination));
    }

    /** A gateway listener the proxy bound itself: the connection's own local address is the destination. */
    public void gateway(Channel channel, String listenerName) {
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        ListenerConfig listener = ctx.config().current().listener(listenerName);
        if (listener == null) {
            run(channel, null, null, Direction.GATEWAY, local);
            return;
        }
        selectChain(channel, listener, local, chain -> run(channel, listener, chain, Direction.GATEWAY, local));
    }

    private void run(Channel channel, ListenerConfig listener, FilterChain chain, Direction direction,
                     InetSocketAddress destination) {
        if (chain == null) {
            refuse(channel, direction + " connection to " + destination + ": no listener or filter chain matches");
            return;
        }
        if (chain.tls() != null && !chain.tls().install(channel, ctx.stats())) {
            refuse(channel, direction + " connection to " + destination + ": the TLS certificate of filter chain "
                    + chain.name() + " is unavailable");
            return;
        }
        ChainDrain.record(channel, listener, chain);
        Flow flow = new Flow(direction, listener.name(), chain, destination, chain.tls() != null);
        if (chain.networkRbac().isEmpty()) {
            start(channel, flow);
        } else {
            ConnectionRbac.enforce(ctx, channel, flow, () -> start(channel, flow));
        }
    }

    /** The chain's terminal filter takes the connection. */
    private void start(Channel channel, Flow flow) {
        switch (flow.chain().action()) {
            case NetworkAction.Tcp tcp -> TcpProxy.start(ctx, channel, flow, tcp.pickCluster());
            case NetworkAction.Http ignored -> http.install(channel, flow);
        }
    }

    private void refuse(Channel channel, String why) {
        ctx.stats().increment(Stat.DOWNSTREAM_CX_NO_ROUTE);
        Log.debug(why + "; closing");
        channel.close();
    }
}
