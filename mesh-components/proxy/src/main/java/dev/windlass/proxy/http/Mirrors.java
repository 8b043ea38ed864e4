package dev.windlass.proxy.http;

import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.MirrorConfig;
import dev.windlass.proxy.net.Flow;
import dev.windlass.proxy.net.UpstreamTarget;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

import java.util.List;

/**
 * Request mirroring (Envoy's request_mirror_policies): a copy of the request, with {@code -shadow} added to its
 * host (before the port, as Envoy does), goes to the shadow cluster; its answer is read and dropped, and nothing
 * about it reaches the client. Fire and forget, on the request's own event loop.
 */
final class Mirrors {
    private Mirrors() {
    }

    static void send(ProxyContext ctx, HttpService service, EventLoop loop, Flow flow, Exchange ex) {
        ConfigSnapshot snapshot = ctx.config().current();
        for (MirrorConfig mirror : ex.forward.mirrors()) {
            if (!mirror.sampled()) {
                continue;
            }
            UpstreamTarget target = UpstreamTarget.pick(snapshot, mirror.cluster(), flow, ctx.options());
            if (target == null) {
                ctx.stats().increment(Stat.SHADOW_RQ_SKIPPED);
                continue;
            }
            ctx.stats().increment(Stat.SHADOW_RQ_TOTAL);
            HttpRequest head = shadowHead(ex.prepared);
            List<HttpContent> body = ex.replay.copies();
            boolean http2 = target.cluster().protocol() == dev.windlass.proxy.config.ClusterConfig.Protocol.HTTP2;
            UpstreamPool.Key key = UpstreamPool.Key.of(target, http2, head.headers().get(HttpHeaderNames.HOST));
            UpstreamPool pool = service.pool(loop);
            pool.acquire(key, target.cluster()).addListener((Future<Channel> f) -> {
                if (!f.isSuccess()) {
                    body.forEach(ReferenceCountUtil::release);
                    target.release();
                    return;
                }
                Channel channel = f.getNow();
                channel.pipeline().get(UpstreamHandler.class).bind(new Sink(pool, key, channel, target));
                channel.write(head, channel.voidPromise());
                body.forEach(part -> channel.write(part, channel.voidPromise()));
                if (body.isEmpty() || !(body.getLast() instanceof LastHttpContent)) {
                    channel.write(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
                }
                channel.flush();
            });
        }
    }

    private static HttpRequest shadowHead(HttpRequest prepared) {
        HttpRequest copy = new DefaultHttpRequest(prepared.protocolVersion(), prepared.method(), prepared.uri(),
                prepared.headers().copy());
        copy.headers().set(HttpHeaderNames.HOST, shadowHost(prepared.headers().get(HttpHeaderNames.HOST, "")));
        copy.headers().remove("x-envoy-attempt-count");
        return copy;
    }

    /** {@code httpbin:8000} → {@code httpbin-shadow:8000}; {@code httpbin} → {@code httpbin-shadow}. */
    static String shadowHost(String host) {
        int colon = host.lastIndexOf(':');
        boolean port = colon > 0 && host.indexOf(']') < colon;
        return port ? host.substring(0, colon) + "-shadow" + host.substring(colon) : host + "-shadow";
    }

    /** Reads the shadow response to its end and drops it; the connection goes back to the pool. */
    private static final class Sink implements UpstreamListener {
        private final UpstreamPool pool;
        private final UpstreamPool.Key key;
        private final Channel channel;
        private final UpstreamTarget target;
        private boolean reusable = true;

        Sink(UpstreamPool pool, UpstreamPool.Key key, Channel channel, UpstreamTarget target) {
            this.pool = pool;
            this.key = key;
            this.channel = channel;
            this.target = target;
        }

        @Override
        public void onUpstreamMessage(HttpObject message) {
            if (message instanceof io.netty.handler.codec.http.HttpResponse response) {
                reusable = HttpUtil.isKeepAlive(response);
            }
            boolean last = message instanceof LastHttpContent;
            ReferenceCountUtil.release(message);
            if (last) {
                channel.pipeline().get(UpstreamHandler.class).unbind();
                target.release();
                if (key.http2()) {
                    channel.close();
                } else {
                    pool.release(key, channel, reusable);
                }
            }
        }

        @Override
        public void onUpstreamReadComplete() {
        }

        @Override
        public void onUpstreamWritability(boolean writable) {
        }

        @Override
        public void onUpstreamClosed() {
            target.release();
        }
    }
}
