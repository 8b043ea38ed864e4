package dev.windlass.proxy.http;

import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.net.Flow;
import dev.windlass.proxy.net.TcpRelay;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * The upstream side of one WebSocket upgrade, as Envoy forwards it: a connection of its own (never pooled, TLS as
 * the cluster says), on which the request goes as usual. This handler sits before the connection's
 * {@link UpstreamHandler} and watches the answer. A 101 ends the exchange (its telemetry says 101) and turns both
 * connections into a byte relay ({@link TcpRelay}: backpressure, half-close passed on); any other answer is relayed
 * as an ordinary response, after which the connection is closed.
 */
final class WebSocketTunnel extends ChannelInboundHandlerAdapter {
    private final ProxyContext ctx;
    private final Flow flow;
    private final DownstreamHandler downstream;
    private final Exchange ex;
    private boolean switched;

    WebSocketTunnel(ProxyContext ctx, Flow flow, DownstreamHandler downstream, Exchange ex) {
        this.ctx = ctx;
        this.flow = flow;
        this.downstream = downstream;
        this.ex = ex;
    }

    /** Opens the connection, holding one of the cluster's max_connections places while it lasts (none left: 503 UO). */
    Future<Channel> connect(UpstreamPool pool, CircuitBreaker breaker) {
        Promise<Channel> promise = downstream.eventLoop().newPromise();
        if (!breaker.tryConnection()) {
            return promise.setFailure(UpstreamPool.OVERFLOW);
        }
        ChannelFuture connected = pool.connect(ex.poolKey, ex.target.cluster(), breaker, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(HttpLimits.MAX_INITIAL_LINE, HttpLimits.MAX_HEADER_SIZE,
                        HttpLimits.MAX_CHUNK), WebSocketTunnel.this, new UpstreamHandler());
            }
        });
        connected.addListener(f -> {
            if (f.isSuccess()) {
                promise.setSuccess(connected.channel());
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    @Override
    public void channelRead(ChannelHandlerContext up, Object msg) {
        if (switched) {
            // What followed the 101 in the same read, handed on as the HTTP decoder leaves.
            if (msg instanceof ByteBuf) {
                up.fireChannelRead(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (msg instanceof HttpResponse response && response.status().code() == 101) {
            switched = true;
            switchProtocols(up, response);
            return;
        }
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            up.pipeline().remove(this); // an ordinary answer: relayed as any response, then the connection closes
        }
        up.fireChannelRead(msg);
    }

    private void switchProtocols(ChannelHandlerContext up, HttpResponse response) {
        if (!downstream.isCurrent(ex) || ex.phase != Exchange.Phase.AWAITING_RESPONSE || !ex.requestComplete) {
            // Abandoned, or a 101 before the request's end: nothing to tunnel; as an upstream reset (503 UC).
            ReferenceCountUtil.release(response);
            up.close();
            return;
        }
        String protocol = response.headers().get(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET.toString());
        ex.target.responded(101);
        RoutePolicies.responseHead(ex, response, flow.direction(), ctx.options().identity(), false, false);
        WebSocketUpgrade.keepHeaders(response.headers(), protocol);
        up.pipeline().get(UpstreamHandler.class).unbind();
        ex.upstream = null;
        ex.upgraded = true;
        ex.phase = Exchange.Phase.DONE;
        Channel client = downstream.channel().channel();
        downstream.channel().writeAndFlush(response); // the last thing the client's HTTP encoder encodes
        splice(client, up.channel());
        downstream.finishIfDone(ex);
        ctx.stats().increment(Stat.DOWNSTREAM_CX_UPGRADES_TOTAL);
        ctx.stats().increment(Stat.DOWNSTREAM_CX_UPGRADES_ACTIVE);
        client.closeFuture().addListener(f -> ctx.stats().decrement(Stat.DOWNSTREAM_CX_UPGRADES_ACTIVE));
    }

    /**
     * Replaces the HTTP handlers of both connections by relays. The encoders go first, so that bytes the decoders
     * still hold, handed on as they leave, pass through untouched in both directions.
     */
    private static void splice(Channel client, Channel upstream) {
        client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        upstream.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        Http1ServerCodec serverCodec = client.pipeline().get(Http1ServerCodec.class);
        HttpClientCodec clientCodec = upstream.pipeline().get(HttpClientCodec.class);
        serverCodec.removeOutboundHandler();
        clientCodec.removeOutboundHandler();
        client.pipeline().replace(DownstreamHandler.class, "websocket", TcpRelay.to(upstream));
        ConnectionTimeouts timeouts = client.pipeline().get(ConnectionTimeouts.class);
        if (timeouts != null) {
            timeouts.tunnelled();
        }
        upstream.pipeline().replace(UpstreamHandler.class, "websocket", TcpRelay.to(client));
        client.pipeline().remove(serverCodec);
        upstream.pipeline().remove(clientCodec);
        TcpRelay.resumeReading(client);
        TcpRelay.resumeReading(upstream);
    }
}
