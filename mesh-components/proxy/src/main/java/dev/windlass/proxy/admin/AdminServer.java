package dev.windlass.proxy.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * A tiny HTTP server for the proxy's own endpoints (admin, readiness, Prometheus): small requests only, each
 * path mapped to a function of the request. Not on the data path.
 */
public final class AdminServer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_REQUEST = 16 * 1024;
    private final Map<String, Function<FullHttpRequest, AdminResponse>> routes;
    private final AppProbers appProbers;

    public AdminServer(Map<String, Function<FullHttpRequest, AdminResponse>> routes) {
        this(routes, null);
    }

    /** With the app probes under {@value AppProbers#PREFIX} (the 15020 port), answered when the probe completes. */
    public AdminServer(Map<String, Function<FullHttpRequest, AdminResponse>> routes, AppProbers appProbers) {
        this.routes = Map.copyOf(routes);
        this.appProbers = appProbers;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192), new HttpObjectAggregator(MAX_REQUEST),
                new Handler());
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            var probe = appProbers != null && path.startsWith(AppProbers.PREFIX) ? appProbers.probe(path) : null;
            if (probe != null) {
                probe.thenAccept(response -> write(ctx, response, keepAlive));
                return;
            }
            Function<FullHttpRequest, AdminResponse> route = routes.get(path);
            AdminResponse response;
            try {
                response = route != null ? route.apply(request) : AdminResponse.text(404, "no such endpoint: " + path + "\n");
            } catch (RuntimeException e) {
                response = AdminResponse.text(500, e + "\n");
            }
            write(ctx, response, keepAlive);
        }

        private void write(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive) {
            ByteBuf body = Unpooled.copiedBuffer(response.body(), StandardCharsets.UTF_8);
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(response.status()), body);
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType())
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            HttpUtil.setKeepAlive(out, keepAlive);
            var write = ctx.writeAndFlush(out);
            if (!keepAlive) {
                write.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
