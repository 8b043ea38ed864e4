package dev.windlass.proxy.net;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/** Where an accepted connection was originally going, before iptables redirected it to a capture port. */
@FunctionalInterface
public interface DestinationResolver {
    /** The original destination, or null when the connection was not redirected or it cannot be known. */
    InetSocketAddress originalDestination(Channel accepted);
}
