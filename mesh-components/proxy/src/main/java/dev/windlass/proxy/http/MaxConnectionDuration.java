package dev.windlass.proxy.http;

import dev.windlass.proxy.config.ClusterConfig;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The timer of an upstream HTTP connection's max_connection_duration, from its establishment: it runs once, on the
 * connection's own event loop, and is cancelled when the connection closes first.
 */
final class MaxConnectionDuration {
    private MaxConnectionDuration() {
    }

    static void start(Channel channel, ClusterConfig cluster, Runnable expired) {
        long millis = cluster.upstream().maxConnectionDurationMillis();
        if (millis <= 0) {
            return;
        }
        ScheduledFuture<?> timer = channel.eventLoop().schedule(expired, millis, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> timer.cancel(false));
    }
}
