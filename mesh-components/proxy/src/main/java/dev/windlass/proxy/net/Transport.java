package dev.windlass.proxy.net;

import dev.windlass.proxy.Log;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The event loops and channel classes of the transport PROXY_TRANSPORT asks for, where it loads: io_uring falls back
 * to epoll (a kernel without it, or a seccomp profile that blocks it, as containerd's default does), epoll to NIO,
 * each step logged once with its cause. Both native transports give SO_ORIGINAL_DST; NIO does not.
 */
public record Transport(TransportKind kind, EventLoopGroup group, Class<? extends ServerSocketChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel, Class<? extends DatagramChannel> datagramChannel) {

    /** Whether a native transport loads here, and why not when it does not. */
    record Availability(boolean available, Throwable cause) {
    }

    public static Transport create(TransportKind wanted, int threads) {
        // Suppliers: probing io_uring loads its native library, which an epoll proxy has no use for.
        TransportKind kind = choose(wanted, () -> new Availability(IoUring.isAvailable(), IoUring.unavailabilityCause()),
                () -> new Availability(Epoll.isAvailable(), Epoll.unavailabilityCause()), Log::warn);
        return switch (kind) {
            case IO_URING -> new Transport(kind, group(threads, IoUringIoHandler.newFactory()),
                    IoUringServerSocketChannel.class, IoUringSocketChannel.class, IoUringDatagramChannel.class);
            case EPOLL -> new Transport(kind, group(threads, EpollIoHandler.newFactory()),
                    EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class);
            case NIO -> new Transport(kind, group(threads, NioIoHandler.newFactory()),
                    NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class);
        };
    }

    private static EventLoopGroup group(int threads, IoHandlerFactory handlers) {
        return new MultiThreadIoEventLoopGroup(threads, handlers);
    }

    /** The transport to run: {@code wanted}, or the next one down where it does not load, with one warning per step. */
    static TransportKind choose(TransportKind wanted, Supplier<Availability> ioUring, Supplier<Availability> epoll,
                                Consumer<String> warn) {
        TransportKind kind = wanted;
        if (kind == TransportKind.IO_URING) {
            Availability available = ioUring.get();
            if (!available.available()) {
                warn.accept("PROXY_TRANSPORT=io_uring, but io_uring is unavailable (" + available.cause()
                        + "); using epoll");
                kind = TransportKind.EPOLL;
            }
        }
        if (kind == TransportKind.EPOLL) {
            Availability available = epoll.get();
            if (!available.available()) {
                warn.accept("native epoll unavailable (" + available.cause() + "); using NIO, without SO_ORIGINAL_DST");
                kind = TransportKind.NIO;
            }
        }
        return kind;
    }
}
