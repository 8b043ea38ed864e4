package dev.windlass.proxy.netns;

import dev.windlass.proxy.net.TransportKind;
import io.netty.channel.uring.IoUring;

import java.util.Map;

/**
 * The sidecar pair with PROXY_TRANSPORT=io_uring (issue 21): capture, SO_ORIGINAL_DST, HTTP and the TCP relay on
 * io_uring's sockets. The sidecars run on this machine's kernel, so where io_uring does not load in this JVM (kernel,
 * io_uring_disabled, seccomp) it would not in theirs either: skipped, with the cause.
 */
class TwoSidecarsIoUringNetnsTest extends SidecarPairNetns {
    TwoSidecarsIoUringNetnsTest() {
        super(Map.of("PROXY_TRANSPORT", "io_uring"), TransportKind.IO_URING);
    }

    @Override
    String transportMissing() {
        return IoUring.isAvailable() ? null : "io_uring unavailable: " + IoUring.unavailabilityCause();
    }
}
