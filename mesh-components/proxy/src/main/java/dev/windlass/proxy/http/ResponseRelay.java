package dev.windlass.proxy.http;

import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.net.Flow;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The response side of a downstream connection or stream: what the current attempt's upstream sends comes here.
 * The first head of an attempt goes to the {@link Forwarder} for the retry decision; the response that is kept
 * is relayed downstream with backpressure both ways, and its upstream connection goes back to the pool at the end.
 */
final class ResponseRelay implements UpstreamListener {
    private final ProxyContext ctx;
    private final HttpService service;
    private final Flow flow;
    private final DownstreamHandler downstream;
    private final boolean http2;

    ResponseRelay(ProxyContext ctx, HttpService service, Flow flow, DownstreamHandler downstream, boolean http2) {
        this.ctx = ctx;
        this.service = service;
        this.flow = flow;
        this.downstream = downstream;
        this.http2 = http2;
    }

    @Override
    public void onUpstreamMessage(HttpObject msg) {
        Exchange ex = downstream.current();
        if (ex == null || (ex.phase != Exchange.Phase.AWAITING_RESPONSE && ex.phase != Exchange.Phase.RESPONDING)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        downstream.timeouts().activity();
        if (msg instanceof HttpResponse response && isInformational(response)) {
            ex.informational = !(response instanceof LastHttpContent);
            downstream.channel().writeAndFlush(msg);
            return;
        }
        if (ex.informational && msg instanceof LastHttpContent && !(msg instanceof HttpResponse)) {
            ex.informational = false;
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (ex.phase == Exchange.Phase.AWAITING_RESPONSE && downstream.forwarder().retriesResponse(ex, response)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            responseHead(ex, response);
        }
        if (msg instanceof HttpContent content) {
            ex.bytesSent += content.content().readableBytes();
        }
        downstream.channel().write(msg, downstream.channel().voidPromise());
        if (!downstream.channel().channel().isWritable() && ex.upstream != null) {
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
        downstream.timeouts().requestReceived();
        if (!ex.requestComplete && !http2) {
            // The upstream answered before the whole request arrived: this connection cannot be reused.
            downstream.closeAfterResponse();
        }
        RoutePolicies.responseHead(ex, response, flow.direction(), ctx.options().identity(), http2, downstream.closing());
    }

    private void responseDone(Exchange ex) {
        ex.phase = Exchange.Phase.DONE;
        ex.cancelTimers();
        downstream.channel().flush();
        releaseUpstream(ex, ex.upstreamReusable && ex.requestComplete);
        if (!ex.requestComplete) {
            downstream.closeAfterResponse();
        }
        downstream.finishIfDone(ex);
    }

    private void releaseUpstream(Exchange ex, boolean reusable) {
        Channel upstream = ex.upstream;
        ex.releaseTarget();
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

    @Override
    public void onUpstreamClosed() {
        Exchange ex = downstream.current();
        if (ex == null || ex.upstream == null) {
            return;
        }
        ex.upstream = null;
        if (ex.phase == Exchange.Phase.AWAITING_RESPONSE) {
            downstream.forwarder().upstreamClosedBeforeResponse(ex);
            return;
        }
        // Headers already went out: the only honest signal left is to cut the downstream too.
        ex.addFlag("UC");
        downstream.resetAfterResponseStarted(ex);
    }

    @Override
    public void onUpstreamReadComplete() {
        downstream.channel().flush();
    }

    @Override
    public void onUpstreamWritability(boolean writable) {
        Exchange ex = downstream.current();
        if (writable && ex != null && ex.upstream != null && !ex.requestComplete) {
            downstream.autoRead(true);
        }
    }
}
