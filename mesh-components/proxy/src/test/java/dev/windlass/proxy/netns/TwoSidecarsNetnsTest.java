package dev.windlass.proxy.netns;

import dev.windlass.proxy.net.TransportKind;
import io.netty.channel.epoll.Epoll;

import java.util.Map;

/** The sidecar pair with no PROXY_TRANSPORT: the default, epoll. */
class TwoSidecarsNetnsTest extends SidecarPairNetns {
    TwoSidecarsNetnsTest() {
        super(Map.of(), TransportKind.EPOLL);
    }

    @Override
    String transportMissing() {
        return Epoll.isAvailable() ? null : "epoll unavailable: " + Epoll.unavailabilityCause();
    }
}
