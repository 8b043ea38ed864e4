package dev.windlass.proxy.http;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.NetworkAction;
import dev.windlass.proxy.net.Direction;
import dev.windlass.proxy.net.Flow;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import dev.windlass.proxy.tls.MeshPeer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The HTTP connection manager of one HTTP/1.1 connection, or of one HTTP/2 stream: routes each request, applies
 * the route's CORS and fault policies, hands forwarding to its {@link Forwarder}, and streams the request body to
 * the current attempt and the response back, one exchange at a time. Reading stops while there is nowhere to
 * put the bytes (no attempt connected, upstream full, or a response awaited), so buffering stays bounded;
 * pipelined requests wait in {@link ReadAhead}. Everything runs on the connection's event loop.
 */
final class DownstreamHandler extends ChannelDuplexHandler {
    private final ProxyContext ctx;
    private final HttpService service;
    private final Flow flow;
    private final boolean http2;
    private final Forwarder forwarder;
    private final ResponseRelay relay;
    private final ReadAhead readAhead = new ReadAhead();
    private final RequestHash requestHash = new RequestHash();
    private ChannelHandlerContext channel;
    /** The chain's JWT and RBAC filters, or null when it has neither. */
    private RequestFilters filters;
    /** The chain forwards HTTP/1.1 WebSocket upgrades. */
    private boolean websocket;
    private Exchange exchange;
    private boolean closing;
    private StreamTimeouts timeouts;

    DownstreamHandler(ProxyContext ctx, HttpService service, Flow flow, boolean http2) {
        this.ctx = ctx;
        this.service = service;
        this.flow = flow;
        this.http2 = http2;
        this.forwarder = new Forwarder(ctx, service, flow, this, http2);
        this.relay = new ResponseRelay(ctx, service, flow, this, http2);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext channelCtx) {
        this.channel = channelCtx;
        this.filters = RequestFilters.of(ctx, flow, channelCtx.channel());
        this.websocket = !http2 && flow.chain().action() instanceof NetworkAction.Http http && http.websocket();
        this.timeouts = new StreamTimeouts(HttpService.timeouts(flow), ctx.stats(), this,
                http2 ? null : channelCtx.pipeline().get(ConnectionTimeouts.class));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext channelCtx) {
        timeouts.stop();
    }

    /** Where the current attempt's upstream connection reports. */
    UpstreamListener relay() {
        return relay;
    }

    StreamTimeouts timeouts() {
        return timeouts;
    }

    Exchange current() {
        return exchange;
    }

    Forwarder forwarder() {
        return forwarder;
    }

    ChannelHandlerContext channel() {
        return channel;
    }

    boolean closing() {
        return closing;
    }

    void closeAfterResponse() {
        closing = true;
    }

    boolean isCurrent(Exchange ex) {
        return exchange == ex && channel.channel().isActive();
    }

    EventLoop eventLoop() {
        return channel.channel().eventLoop();
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        readAhead.readStarted();
        timeouts.activity();
        if (!(msg instanceof HttpObject object)) {
            ReferenceCountUtil.release(msg);
        } else if (object.decoderResult().isFailure() && !(object instanceof HttpRequest) && !readAhead.holdsRequestHead()) {
            MalformedRequests.refuseBody(ctx, this, object);
        } else if (exchange == null && readAhead.isEmpty()) {
            startOrDrop(object);
        } else if (exchange != null && !exchange.requestComplete && exchange.takesBody()) {
            requestPart(object);
        } else {
            readAhead.add(object);
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
        timeouts.headDecoded();
        if (request.decoderResult().isFailure()) {
            MalformedRequests.reject(ctx, channel, request);
            return;
        }
        RequestTelemetry.started(ctx, flow.direction());
        Exchange ex = new Exchange(request, http2);
        ex.upgrade = websocket && WebSocketUpgrade.requested(request);
        exchange = ex;
        timeouts.requestStarted(eventLoop());
        if (flow.secure() && flow.direction() == Direction.INBOUND) {
            ex.peer = MeshPeer.of(channel.channel(), ctx.options().identity());
        }
        ex.keepAlive = http2 || HttpUtil.isKeepAlive(request);
        closing |= !ex.keepAlive || ctx.drain().draining();
        request = readAhead.splitHead(request);
        ex.prepared = request;
        route(ex, request);
        drainPendingBody(ex);
    }

    /** The JWT and RBAC filters come first, as Envoy's run before its router. */
    private void route(Exchange ex, HttpRequest request) {
        LocalReply refusal = filters == null ? null : filters.refusal(request);
        if (refusal != null) {
            answerLocally(ex, refusal, "-", null);
            return;
        }
        switch (RequestRouter.route(ctx.config().current(), flow, request, http2)) {
            case RequestRouter.Local local -> answerLocally(ex, local.reply(), local.cluster(), null);
            case RequestRouter.Routed routed -> routed(ex, routed);
        }
    }

    private void routed(Exchange ex, RequestRouter.Routed routed) {
        ex.rule = routed.rule();
        ex.forward = routed.forward();
        ex.attemptCountHeader = routed.host().attemptCount();
        LocalReply preflight = RoutePolicies.corsPreflight(ex, ctx.stats());
        if (preflight != null) {
            answerLocally(ex, preflight, "-", ex.rule);
            return;
        }
        ex.clusterEntry = ex.forward.clusters().pick();
        if (ex.forward.hashKey() != null) {
            requestHash.apply(ex, ex.forward.hashKey(), channel.channel().remoteAddress());
        }
        Faults.Decision fault = RoutePolicies.fault(ex, ctx.stats());
        if (fault.delayNanos() > 0) {
            autoRead(false);
            eventLoop().schedule(() -> afterDelay(ex, fault), fault.delayNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            return;
        }
        afterDelay(ex, fault);
    }

    private void afterDelay(Exchange ex, Faults.Decision fault) {
        if (!isCurrent(ex)) {
            return;
        }
        if (fault.abort() != null) {
            answerLocally(ex, fault.abort(), ex.clusterEntry.name(), ex.rule);
            drainPendingBody(ex);
            return;
        }
        // Inside a read the attempt waits for its end: the rest of the read may still break the request's framing.
        if (!readAhead.deferAttempt(ex)) {
            forwarder.attempt(ex);
        }
    }

    /** The proxy answers itself: the reply goes out now, the rest of the request body is read and dropped. */
    private void answerLocally(Exchange ex, LocalReply reply, String cluster, dev.windlass.proxy.config.RouteRule rule) {
        ex.answerLocally(cluster, reply, ex.prepared, flow.direction(), ctx.options().identity());
        ex.phase = Exchange.Phase.LOCAL;
        if (reply.status() == 404 && "NR".equals(reply.flags())) {
            ctx.stats().increment(Stat.NO_ROUTE);
        }
        FullHttpResponse response = localResponse(ex, reply);
        if (rule != null && rule.cors() != null && reply.status() == 200 && reply.body().isEmpty()) {
            Cors.preflightHeaders(rule.cors(), ex.prepared, response);
        }
        if (rule != null) {
            rule.responseHeaders().apply(response.headers());
        }
        channel.writeAndFlush(response);
        ex.phase = Exchange.Phase.DONE;
        if (ex.requestComplete) {
            finishIfDone(ex);
        } else if (exchange == ex) {
            autoRead(true);
        }
    }

    /** The reply as sent, its status recorded (a gRPC request's local reply is a 200 carrying grpc-status). */
    private FullHttpResponse localResponse(Exchange ex, LocalReply reply) {
        FullHttpResponse response = reply.toResponse(closing && !http2, GrpcRequests.isGrpc(ex.prepared));
        ex.status = response.status().code();
        return response;
    }

    /** Body pieces of the current request read before they had somewhere to go (or to be dropped). */
    void drainPendingBody(Exchange ex) {
        while (exchange == ex && !ex.requestComplete && ex.takesBody() && readAhead.bodyPartNext()) {
            requestPart(readAhead.pollFirst());
        }
    }

    /** An attempt just connected: what waited goes to it, and reading resumes if the upstream can take more. */
    void streamPendingBody(Exchange ex) {
        drainPendingBody(ex);
        if (exchange == ex && ex.upstream != null) {
            autoRead(!ex.requestComplete && ex.upstream.isWritable());
        }
    }

    /** One piece of the current request body: to the attempt's upstream (and the replay buffer), or dropped. */
    private void requestPart(HttpObject part) {
        if (part.decoderResult().isFailure()) {
            MalformedRequests.refuseBody(ctx, this, part);
            return;
        }
        Exchange ex = exchange;
        boolean last = part instanceof LastHttpContent;
        HttpContent content = (HttpContent) part;
        ex.bytesReceived += content.content().readableBytes();
        if (ex.upstream == null) {
            ReferenceCountUtil.release(part);
        } else {
            if (ex.forward != null && (ex.forward.retry().numRetries() > 0 || !ex.forward.mirrors().isEmpty())) {
                ex.replay.keep(content);
            }
            ex.upstream.write(part, ex.upstream.voidPromise());
            if (!ex.upstream.isWritable()) {
                autoRead(false);
            }
        }
        if (last) {
            ex.requestComplete = true;
            timeouts.requestReceived();
            autoRead(false); // pipelined requests wait until this response is done
            if (ex.forward != null && !ex.responseComplete()) {
                forwarder.requestCompleted(ex);
            }
            finishIfDone(ex);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext c) {
        Exchange deferred = readAhead.readEnded();
        if (deferred != null && isCurrent(deferred) && deferred.phase == Exchange.Phase.ROUTED) {
            forwarder.attempt(deferred);
        }
        Exchange ex = exchange;
        if (ex != null && ex.upstream != null) {
            ex.upstream.flush();
        }
    }

    void finishIfDone(Exchange ex) {
        if (exchange != ex || !ex.responseComplete() || !(ex.requestComplete || closing)) {
            return;
        }
        exchange = null;
        timeouts.requestEnded();
        ex.releaseHeld();
        ctx.stats().decrement(Stat.DOWNSTREAM_RQ_ACTIVE);
        RequestTelemetry.finish(ctx, flow.direction(), ex, HttpService.accessLogPath(flow));
        if (http2 || ex.upgraded) {
            return; // an upgraded connection is a tunnel now (WebSocketTunnel)
        }
        if (closing) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        nextPending();
    }

    private void nextPending() {
        while (exchange == null && !readAhead.isEmpty()) {
            startOrDrop(readAhead.pollFirst());
        }
        if (exchange == null) {
            autoRead(true);
        }
    }

    /** The response cannot be completed (upstream reset, route timeout): cut the downstream. */
    void resetAfterResponseStarted(Exchange ex) {
        forwarder.abandonAttempt(ex);
        ex.phase = Exchange.Phase.DONE;
        closing = true;
        finishIfDone(ex);
        channel.close();
    }

    /** Answers an error before any response went downstream (no upstream, connect failure, timeout). */
    void failBeforeResponse(Exchange ex, LocalReply reply) {
        if ("UH".equals(reply.flags())) {
            ctx.stats().increment(Stat.NO_HEALTHY_UPSTREAM);
        }
        ex.upstreamReusable = false;
        if (!ex.requestComplete) {
            closing = true;
        }
        ex.addFlag(reply.flags());
        ex.phase = Exchange.Phase.LOCAL;
        channel.writeAndFlush(localResponse(ex, reply));
        ex.phase = Exchange.Phase.DONE;
        ex.cancelTimers();
        drainPendingBody(ex);
        finishIfDone(ex);
        if (exchange == ex) {
            autoRead(true); // still reading the body to drop it
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
        readAhead.releaseAll();
        Exchange ex = exchange;
        if (ex != null) {
            forwarder.abandonAttempt(ex);
            ex.addFlag("DC");
            ex.phase = Exchange.Phase.DONE;
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

    void autoRead(boolean on) {
        channel.channel().config().setAutoRead(on);
    }
}
