package dev.windlass.proxy;

import dev.windlass.proxy.identity.WorkloadIdentity;
import dev.windlass.proxy.net.DestinationResolver;
import dev.windlass.proxy.net.Transport;
import dev.windlass.proxy.telemetry.AccessLog;
import dev.windlass.proxy.telemetry.ProxyStats;
import dev.windlass.proxy.telemetry.RequestMetrics;
import dev.windlass.proxy.xds.ConfigStore;
import io.netty.channel.group.ChannelGroup;

/**
 * What every handler shares: the config store, the transport, telemetry, the original-destination resolver, the
 * set of open downstream connections (for drain) and the workload certificate. All of it is thread-safe.
 */
public record ProxyContext(ProxyOptions options, ConfigStore config, Transport transport, RequestMetrics metrics,
                           ProxyStats stats, AccessLog accessLog, DestinationResolver resolver,
                           ChannelGroup downstreams, DrainState drain, WorkloadIdentity identity) {
}
