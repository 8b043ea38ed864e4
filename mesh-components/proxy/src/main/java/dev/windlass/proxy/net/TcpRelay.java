package dev.windlass.proxy.net;

import dev.windlass.proxy.Log;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Moves bytes from its channel to the peer, passing the ByteBufs through untouched (no copy), with backpressure:
 * reading stops while the peer cannot take more. A half-close is passed on as a half-close, as a FIN alone over
 * TLS too: a close_notify would close the receiving side's OpenSSL engine both ways (it takes one as the end of the
 * session), where a FIN leaves the other direction open. A close_notify received ends this side's input as a FIN
 * does. Until the peer is connected, what arrives (at most one read, since reading is off) waits here, EOF
 * included: a client may send its bytes and FIN before the upstream connection is up.
 */
public final class TcpRelay extends ChannelInboundHandlerAdapter {
    private Channel peer;
    private ArrayDeque<Object> early = new ArrayDeque<>();
    private boolean earlyEof;
    private boolean earlyClose;
    private boolean eofPassed;
    private ChannelHandlerContext context;

    TcpRelay(Channel peer) {
        this.peer = peer;
    }

    /**
     * A relay to an already connected {@code peer}, for a connection that switches from HTTP to raw bytes (an
     * upgrade): installed in place of the HTTP handlers of each side. Both sides need half-closure allowed.
     */
    public static TcpRelay to(Channel peer) {
        TcpRelay relay = new TcpRelay(peer);
        relay.early = null;
        return relay;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
            early.clear();
        }
    }

    /** The peer is connected: replays what arrived meanwhile. Call on this channel's event loop. */
    void connected(Channel connectedPeer) {
        this.peer = connectedPeer;
        while (!early.isEmpty()) {
            peer.write(early.poll(), peer.voidPromise());
        }
        early = null;
        peer.flush();
        if (earlyEof) {
            passOnEof(context.channel());
        }
        if (earlyClose) {
            closePeer();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer == null) {
            early.add(msg);
        } else if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
        } else {
            peer.write(msg, peer.voidPromise());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (peer == null) {
            return;
        }
        peer.flush();
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This side drained: the peer may read again.
        if (ctx.channel().isWritable() && peer != null) {
            resumeReading(peer);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent || event instanceof SslCloseCompletionEvent c && c.isSuccess()) {
            if (peer == null) {
                earlyEof = true;
            } else {
                passOnEof(ctx.channel());
            }
        }
        ReferenceCountUtil.release(event);
    }

    /** EOF from this side: pass it on, and close each socket once both of its directions are done. */
    private void passOnEof(Channel self) {
        if (!eofPassed && peer instanceof DuplexChannel duplexPeer && peer.isActive()) {
            eofPassed = true;
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> duplexPeer.shutdownOutput()
                    .addListener(g -> closeIfBothShut(duplexPeer)));
        }
        closeIfBothShut(self);
    }

    private static void closeIfBothShut(Channel channel) {
        if (channel instanceof DuplexChannel duplex && duplex.isInputShutdown() && duplex.isOutputShutdown()) {
            channel.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer == null) {
            earlyClose = true;
        } else {
            closePeer();
        }
    }

    private void closePeer() {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Turns reading back on, unless the input is already shut: re-arming epoll for a half-closed socket fails
     * (epoll_ctl ENOENT) and would close the connection with data still to send.
     */
    public static void resumeReading(Channel channel) {
        if (!(channel instanceof DuplexChannel duplex && duplex.isInputShutdown())) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Log.debug("tcp " + ctx.channel() + ": " + cause);
        ctx.close();
    }
}
