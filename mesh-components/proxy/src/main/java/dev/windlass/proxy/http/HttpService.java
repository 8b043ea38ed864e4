package dev.windlass.proxy.http;

import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.HttpTimeouts;
import dev.windlass.proxy.config.NetworkAction;
import dev.windlass.proxy.net.Flow;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP side of the proxy: turns a dispatched connection into an HTTP/1.1 connection or an h2c (prior
 * knowledge) connection, whichever the client speaks, and owns the per-event-loop upstream pools.
 */
public final class HttpService {
    /** Fired on every downstream connection when the proxy drains. */
    public static final Object DRAIN = new Object();

    private final ProxyContext ctx;
    private final Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final CircuitBreakers breakers = new CircuitBreakers();

    public HttpService(ProxyContext ctx) {
        this.ctx = ctx;
    }

    /** Whether the connection speaks HTTP already (past protocol sniffing), so that it can drain. */
    public static boolean speaking(Channel channel) {
        return channel.pipeline().get("downstream") != null || channel.pipeline().get("h2-drain") != null;
    }

    /** Starts HTTP on an accepted connection whose chain is an HttpConnectionManager. */
    public void install(Channel channel, Flow flow) {
        channel.pipeline().addLast(ConnectionTimeouts.NAME, new ConnectionTimeouts(timeouts(flow), ctx.stats()));
        channel.pipeline().addLast("sniffer", new ProtocolSniffer(this, flow));
    }

    /** The access log file the flow's connection manager names, or null. */
    static String accessLogPath(Flow flow) {
        return flow.chain().action() instanceof NetworkAction.Http http ? http.accessLogPath() : null;
    }

    /** The downstream timeouts of the flow's connection manager. */
    static HttpTimeouts timeouts(Flow flow) {
        return flow.chain().action() instanceof NetworkAction.Http http ? http.timeouts() : HttpTimeouts.DEFAULT;
    }

    void installHttp1(ChannelPipeline pipeline, Flow flow) {
        Http1ServerCodec codec = new Http1ServerCodec();
        ConnectionTimeouts timeouts = pipeline.get(ConnectionTimeouts.class);
        if (timeouts != null) {
            timeouts.http1(codec);
        }
        pipeline.addLast("http1", codec);
        pipeline.addLast("downstream", new DownstreamHandler(ctx, this, flow, false));
    }

    void installHttp2(ChannelPipeline pipeline, Flow flow) {
        Http2FrameCodec codec = Http2Codecs.downstream(ctx.stats());
        pipeline.addLast("h2", codec);
        ConnectionTimeouts timeouts = pipeline.get(ConnectionTimeouts.class);
        if (timeouts != null) {
            timeouts.http2(codec.connection());
        }
        pipeline.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(StreamErrorReset.INSTANCE, new Http2StreamFrameToHttpObjectCodec(true),
                        new DownstreamHandler(ctx, HttpService.this, flow, true));
            }
        }));
        pipeline.addLast("h2-drain", new Http2Drain());
    }

    /** The circuit breaker of a cluster, shared by every event loop. */
    CircuitBreaker breaker(dev.windlass.proxy.config.ClusterConfig cluster) {
        return breakers.of(cluster);
    }

    /** The upstream pool of one event loop; only ever used from that loop. */
    UpstreamPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new UpstreamPool(l, ctx));
    }
}
