package dev.windlass.proxy.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;

/**
 * Envoy's tls_inspector: reads a connection's first bytes to tell TLS from anything else and, for TLS, the SNI
 * name of the ClientHello, without terminating TLS. Then it steps aside; the bytes it read stay in the pipeline
 * for whatever the chosen chain installs after it.
 */
final class ClientHelloSniffer extends AbstractSniHandler<Boolean> {
    /** Gets whether the connection is TLS, and the SNI name (null when absent). */
    interface Result {
        void chosen(ChannelHandlerContext ctx, boolean tls, String serverName);
    }

    private final Result result;
    private boolean tls;

    ClientHelloSniffer(Result result) {
        super(0L);
        this.result = result;
    }

    @Override
    protected Future<Boolean> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
        tls = clientHello != null;
        return super.lookup(ctx, clientHello);
    }

    @Override
    protected Future<Boolean> lookup(ChannelHandlerContext ctx, String hostname) {
        return ctx.executor().newSucceededFuture(tls);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<Boolean> future) {
        result.chosen(ctx, tls, hostname);
        ctx.pipeline().remove(this);
    }
}
