package dev.windlass.proxy.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;

/**
 * TLS origination on an upstream connection: the TLS handler goes first in the pipeline, and the connection counts
 * as made once its handshake succeeded, so that a refused certificate is a connect failure (503 UF, retried as
 * connect-failure, a local-origin failure for outlier detection), as it is in Envoy.
 */
public final class UpstreamTlsHandshake {
    private UpstreamTlsHandshake() {
    }

    /** An initializer that puts TLS (with {@code sni} when not null) before what {@code then} adds. */
    public static ChannelHandler first(ClientTls tls, String sni, int port, ChannelHandler then) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                SslHandler handler = tls.newHandler(ch.alloc(), sni, port);
                if (handler == null) {
                    ch.close();
                    return;
                }
                ch.pipeline().addLast("tls", handler);
                if (then != null) {
                    ch.pipeline().addLast(then);
                }
            }
        };
    }

    /** Completes with the channel's TLS handshake after {@code connected}; a failed handshake closes the channel. */
    public static ChannelFuture completed(ChannelFuture connected) {
        Channel channel = connected.channel();
        ChannelPromise ready = channel.newPromise();
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                ready.setFailure(f.cause());
                return;
            }
            channel.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    ready.setSuccess();
                } else {
                    ready.setFailure(h.cause());
                    channel.close();
                }
            });
        });
        return ready;
    }
}
