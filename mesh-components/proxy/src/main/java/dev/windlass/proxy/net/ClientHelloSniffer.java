package dev.windlass.proxy.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.util.concurrent.Future;

/**
 * Envoy's tls_inspector: reads a connection's first bytes to tell TLS from anything else and, for TLS, the SNI
 * name and ALPN protocols of the ClientHello, without terminating TLS. Then it steps aside; the bytes it read stay
 * in the pipeline for whatever the chosen chain installs after it.
 */
final class ClientHelloSniffer extends SslClientHelloHandler<ClientHello> {
    /** Gets whether the connection is TLS, and what its ClientHello offers ({@link ClientHello#NONE} for plain text). */
    interface Result {
        void chosen(ChannelHandlerContext ctx, boolean tls, ClientHello hello);
    }

    private final Result result;
    private boolean tls;

    ClientHelloSniffer(Result result) {
        this.result = result;
    }

    @Override
    protected Future<ClientHello> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
        tls = clientHello != null;
        return ctx.executor().newSucceededFuture(tls ? ClientHello.parse(clientHello) : ClientHello.NONE);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<ClientHello> future) {
        result.chosen(ctx, tls, future.getNow() == null ? ClientHello.NONE : future.getNow());
        ctx.pipeline().remove(this);
    }
}
