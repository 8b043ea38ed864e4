package dev.windlass.proxy.http;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.NetworkAction;
import dev.windlass.proxy.net.Direction;
import dev.windlass.proxy.net.Flow;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

import java.util.ArrayDeque;

/**
 * The HTTP connection manager of one HTTP/1.1 connection, or of one HTTP/2 stream: routes each request, streams
 * its body to an upstream and the response back, one exchange at a time. Reading stops while there is nowhere to
 * put the bytes (upstream connecting or full, or a response awaited), so buffering stays bounded; pipelined
 * requests wait in {@code pending}. Everything runs on the connection's event loop, upstream callbacks included.
 */
final class DownstreamHandler extends ChannelDuplexHandler {
    private final ProxyContext ctx;
    private final HttpService service;
    private final Flow flow;
    private final boolean http2;
    private final ArrayDeque<HttpObject> pending = new ArrayDeque<>();
    private ChannelHandlerContext channel;
    private Exchange exchange;
    private boolean closing;

    DownstreamHandler(ProxyContext ctx, HttpService service, Flow flow, boolean http2) {
        this.ctx = ctx;
        this.service = service;
        this.flow = flow;
        this.http2 = http2;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext channelCtx) {
        this.channel = channelCtx;
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        if (!(msg instanceof HttpObject object)) {
            ReferenceCountUtil.release(msg);
        } else if (exchange == null && pending.isEmpty()) {
            startOrDrop(object);
        } else if (exchange != null && !exchange.requestComplete && (exchange.upstream != null || exchange.local)) {
            requestPart(object);
        } else {
            pending.add(object);
            autoRead(false);
        }
    }

    private void startOrDrop(HttpObject object) {
        if (object instanceof HttpRequest request) {
            start(request);
        } else {
            // The rest of a request already answered (or refused): nothing wants it.
            ReferenceCountUtil.release(object);
        }
    }

    private void start(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            MalformedRequests.reject(ctx, channel, request);
            return;
        }
        ctx.stats().increment(Stat.DOWNSTREAM_RQ_TOTAL);
        ctx.stats().increment(Stat.DOWNSTREAM_RQ_ACTIVE);
        ctx.stats().increment(flow.direction() == Direction.INBOUND ? Stat.INBOUND_RQ_TOTAL : Stat.OUTBOUND_RQ_TOTAL);
        Exchange ex = new Exchange(request, http2);
        exchange = ex;
        ex.keepAlive = http2 || HttpUtil.isKeepAlive(request);
        closing |= !ex.keepAlive || ctx.drain().draining();
        switch (RequestRouter.route(ctx.config().current(), flow, request, ctx.options())) {
            case RequestRouter.Local local -> startLocal(ex, request, local);
            case RequestRouter.Upstream upstream -> startUpstream(ex, request, upstream);
        }
    }

    private void startLocal(Exchange ex, HttpRequest request, RequestRouter.Local local) {
        ex.answerLocally(local, request, flow.direction(), ctx.options().identity());
        ctx.stats().increment(local.reply().status() == 404 ? Stat.NO_ROUTE : Stat.NO_HEALTHY_UPSTREAM);
        channel.writeAndFlush(local.reply().toResponse(closing && !http2));
        requestPart(request);
        drainPendingBody(ex);
        if (exchange == ex && !ex.requestComplete) {
            autoRead(true);
        }
    }

    /** Body pieces of the current request that were read before it could be forwarded (or dropped). */
    private void drainPendingBody(Exchange ex) {
        while (exchange == ex && !ex.requestComplete && pending.peekFirst() instanceof HttpContent next
                && !(next instanceof HttpRequest)) {
            requestPart(pending.pollFirst());
        }
    }

    private void startUpstream(Exchange ex, HttpRequest request, RequestRouter.Upstream upstream) {
        boolean toHttp2 = ex.sendTo(upstream, http2);
        HeaderRules.request(request, ex, flow.direction(), ctx.options().identity(), http2, toHttp2);
        ex.requestHead = request;
        autoRead(false);
        service.pool(channel.channel().eventLoop()).acquire(ex.poolKey)
                .addListener((Future<Channel> f) -> upstreamReady(ex, f));
    }

    private void upstreamReady(Exchange ex, Future<Channel> connected) {
        if (exchange != ex || !channel.channel().isActive()) {
            if (connected.isSuccess()) {
                connected.getNow().close();
            }
            return;
        }
        if (!connected.isSuccess()) {
            Log.debug("upstream " + ex.poolKey.address() + " of " + ex.cluster + ": " + connected.cause());
            failBeforeResponse(ex, 503, "upstream connect error or disconnect/reset before headers", "UF");
            return;
        }
        Channel upstream = connected.getNow();
        upstream.pipeline().get(UpstreamHandler.class).bind(this);
        ex.upstream = upstream;
        ex.upstreamStartNanos = System.nanoTime();
        ctx.stats().increment(Stat.UPSTREAM_RQ_TOTAL);
        HttpRequest head = ex.requestHead;
        ex.requestHead = null;
        requestPart(head);
        drainPendingBody(ex);
        upstream.flush();
        if (exchange == ex) {
            autoRead(!ex.requestComplete && upstream.isWritable());
        }
    }

    /** One piece of the current request: to the upstream, or dropped when the proxy answered itself. */
    private void requestPart(HttpObject part) {
        Exchange ex = exchange;
        boolean last = part instanceof LastHttpContent;
        if (part instanceof HttpContent content) {
            ex.bytesReceived += content.content().readableBytes();
        }
        if (ex.local) {
            ReferenceCountUtil.release(part);
        } else {
            ex.upstream.write(part, ex.upstream.voidPromise());
            if (!ex.upstream.isWritable()) {
                autoRead(false);
            }
        }
        if (last) {
            ex.requestComplete = true;
            // Pipelined requests wait until this response is done.
            autoRead(false);
            finishIfDone(ex);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext c) {
        Exchange ex = exchange;
        if (ex != null && ex.upstream != null) {
            ex.upstream.flush();
        }
    }

    /** Called by {@link UpstreamHandler} for each piece of the response. */
    void onUpstreamMessage(HttpObject msg) {
        Exchange ex = exchange;
        if (ex == null || ex.responseComplete) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response && isInformational(response)) {
            ex.informational = !(response instanceof LastHttpContent);
            channel.writeAndFlush(msg);
            return;
        }
        if (ex.informational && msg instanceof LastHttpContent && !(msg instanceof HttpResponse)) {
            ex.informational = false;
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            responseHead(ex, response);
        }
        if (msg instanceof HttpContent content) {
            ex.bytesSent += content.content().readableBytes();
        }
        channel.write(msg, channel.voidPromise());
        if (!channel.channel().isWritable() && ex.upstream != null) {
            ex.upstream.config().setAutoRead(false);
        }
        if (msg instanceof LastHttpContent) {
            responseDone(ex);
        }
    }

    private static boolean isInformational(HttpResponse response) {
        int code = response.status().code();
        return code >= 100 && code < 200 && code != 101;
    }

    private void responseHead(Exchange ex, HttpResponse response) {
        ex.status = response.status().code();
        ex.serviceTimeMillis = (System.nanoTime() - ex.upstreamStartNanos) / 1_000_000;
        ex.responseStarted = true;
        ex.upstreamReusable = HttpUtil.isKeepAlive(response);
        if (!ex.requestComplete && !http2) {
            // The upstream answered before the whole request arrived: this connection cannot be reused.
            closing = true;
        }
        HeaderRules.response(response, ex, flow.direction(), ctx.options().identity(), http2, closing);
    }

    private void responseDone(Exchange ex) {
        ex.responseComplete = true;
        channel.flush();
        releaseUpstream(ex, ex.upstreamReusable && ex.requestComplete);
        if (!ex.requestComplete) {
            closing = true;
        }
        finishIfDone(ex);
    }

    private void releaseUpstream(Exchange ex, boolean reusable) {
        Channel upstream = ex.upstream;
        if (upstream == null) {
            return;
        }
        ex.upstream = null;
        upstream.pipeline().get(UpstreamHandler.class).unbind();
        if (ex.poolKey.http2()) {
            if (!reusable) {
                upstream.close();
            }
        } else {
            service.pool(upstream.eventLoop()).release(ex.poolKey, upstream, reusable);
        }
    }

    private void finishIfDone(Exchange ex) {
        if (exchange != ex || !ex.responseComplete || !(ex.requestComplete || closing)) {
            return;
        }
        exchange = null;
        ctx.stats().decrement(Stat.DOWNSTREAM_RQ_ACTIVE);
        if (ex.target != null) {
            ex.target.release();
        }
        RequestTelemetry.finish(ctx, flow.direction(), ex, accessLogPath());
        if (http2) {
            return;
        }
        if (closing) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        nextPending();
    }

    private void nextPending() {
        while (exchange == null && !pending.isEmpty()) {
            startOrDrop(pending.pollFirst());
        }
        if (exchange == null) {
            autoRead(true);
        }
    }

    /** Called by {@link UpstreamHandler} when the upstream went away mid-exchange. */
    void onUpstreamClosed() {
        Exchange ex = exchange;
        if (ex == null || ex.upstream == null) {
            return;
        }
        ex.upstream = null;
        if (!ex.responseStarted) {
            failBeforeResponse(ex, 503, "upstream connect error or disconnect/reset before headers", "UC");
            return;
        }
        // Headers already went out: the only honest signal left is to cut the downstream too.
        ex.flags = "UC";
        ex.responseComplete = true;
        closing = true;
        finishIfDone(ex);
        channel.close();
    }

    private void failBeforeResponse(Exchange ex, int status, String body, String flags) {
        ctx.stats().increment(Stat.NO_HEALTHY_UPSTREAM);
        ex.local = true;
        ex.status = status;
        ex.flags = flags;
        ex.responseStarted = true;
        ex.responseComplete = true;
        ex.upstreamReusable = false;
        if (!ex.requestComplete) {
            closing = true;
        }
        channel.writeAndFlush(new LocalReply(status, body, flags).toResponse(closing && !http2));
        drainPendingBody(ex);
        finishIfDone(ex);
        if (exchange == ex) {
            // Still reading the body to drop it.
            autoRead(true);
        }
    }

    void flushDownstream() {
        channel.flush();
    }

    void onUpstreamWritability(boolean writable) {
        Exchange ex = exchange;
        if (writable && ex != null && ex.upstream != null && !ex.requestComplete) {
            autoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext c) {
        Exchange ex = exchange;
        if (c.channel().isWritable() && ex != null && ex.upstream != null) {
            ex.upstream.config().setAutoRead(true);
        }
        c.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext c, Object event) {
        if (event == HttpService.DRAIN) {
            closing = true;
            if (exchange == null && !http2) {
                c.close();
            }
            return;
        }
        c.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        Exchange ex = exchange;
        if (ex != null) {
            releaseUpstream(ex, false);
            ex.flags = "DC";
            ex.responseComplete = true;
            closing = true;
            finishIfDone(ex);
        }
        c.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        Log.debug("downstream " + c.channel().remoteAddress() + ": " + cause);
        c.close();
    }

    private void autoRead(boolean on) {
        channel.channel().config().setAutoRead(on);
    }

    private String accessLogPath() {
        return flow.chain().action() instanceof NetworkAction.Http http ? http.accessLogPath() : null;
    }

}
