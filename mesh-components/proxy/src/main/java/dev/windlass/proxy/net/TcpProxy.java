package dev.windlass.proxy.net;

import dev.windlass.contract.IstioNames;
import dev.windlass.proxy.Log;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.OutlierDetector;
import dev.windlass.proxy.tls.UpstreamTlsHandshake;
import dev.windlass.proxy.tls.ClientTls;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;

/**
 * tcp_proxy: connects to the cluster's endpoint on the downstream's own event loop, then relays both ways.
 * Nothing is read from the downstream until the upstream is connected (with TLS origination: until its handshake
 * is done; the relay then writes plain bytes into the TLS handler).
 */
public final class TcpProxy {
    private TcpProxy() {
    }

    public static void start(ProxyContext ctx, Channel downstream, Flow flow, String clusterName) {
        ctx.stats().increment(Stat.TCP_CX_TOTAL);
        if (IstioNames.BLACKHOLE.equals(clusterName)) {
            ctx.stats().increment(Stat.BLACKHOLE_CX_TOTAL);
            downstream.close();
            return;
        }
        UpstreamTarget target = UpstreamTarget.pick(ctx.config().current(), clusterName, flow, ctx.options());
        if (target == null) {
            Log.debug("tcp " + flow.listener() + ": no usable endpoint in " + clusterName + "; closing");
            ctx.stats().increment(Stat.NO_HEALTHY_UPSTREAM);
            downstream.close();
            return;
        }
        if (IstioNames.PASSTHROUGH.equals(clusterName)) {
            ctx.stats().increment(Stat.PASSTHROUGH_CX_TOTAL);
        }
        downstream.config().setAutoRead(false);
        downstream.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        TcpRelay toUpstream = new TcpRelay(null);
        downstream.pipeline().addLast("tcp-relay", toUpstream);
        ctx.stats().increment(Stat.TCP_CX_ACTIVE);
        downstream.closeFuture().addListener(f -> {
            ctx.stats().decrement(Stat.TCP_CX_ACTIVE);
            target.release();
        });
        ClientTls tls = target.tls();
        Bootstrap bootstrap = UpstreamSockets.configure(new Bootstrap(), ctx.transport(), target.cluster())
                .group(downstream.eventLoop()).channel(ctx.transport().socketChannel())
                .option(ChannelOption.AUTO_READ, false).option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(tls == null ? new TcpRelay(downstream) : UpstreamTlsHandshake.first(tls, tls.sni(null),
                        target.address().getPort(), new TcpRelay(downstream)));
        ChannelFuture connected = target.source() == null ? bootstrap.connect(target.address())
                : bootstrap.connect(target.address(), target.source());
        ChannelFuture connect = tls == null ? connected : UpstreamTlsHandshake.completed(connected);
        connect.addListener((ChannelFuture f) -> connected(ctx, downstream, toUpstream, f, target));
    }

    private static void connected(ProxyContext ctx, Channel downstream, TcpRelay toUpstream, ChannelFuture f,
                                  UpstreamTarget target) {
        ctx.stats().increment(Stat.UPSTREAM_CX_TOTAL);
        if (!f.isSuccess()) {
            ctx.stats().increment(Stat.UPSTREAM_CX_CONNECT_FAIL);
            target.failedLocally(OutlierDetector.LocalOrigin.CONNECT_FAILED);
            Log.debug("tcp connect to " + target.address() + " failed: " + f.cause());
            downstream.close();
            return;
        }
        Channel upstream = f.channel();
        target.connectedFinal();
        toUpstream.connected(upstream);
        TcpRelay.resumeReading(downstream);
        TcpRelay.resumeReading(upstream);
    }
}
