package dev.windlass.proxy.net;

import dev.windlass.proxy.Log;
import io.netty.channel.EventLoopGroup;
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

/**
 * Native epoll when the platform has it (it also gives SO_ORIGINAL_DST); NIO otherwise, which the log says,
 * because without epoll the capture ports cannot learn a connection's original destination.
 */
public record Transport(boolean epoll, EventLoopGroup group, Class<? extends ServerSocketChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel, Class<? extends DatagramChannel> datagramChannel) {

    public static Transport create(int threads) {
        if (Epoll.isAvailable()) {
            return new Transport(true, new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory()),
                    EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class);
        }
        Log.warn("native epoll unavailable (" + Epoll.unavailabilityCause() + "); using NIO, without SO_ORIGINAL_DST");
        return new Transport(false, new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory()),
                NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class);
    }
}
