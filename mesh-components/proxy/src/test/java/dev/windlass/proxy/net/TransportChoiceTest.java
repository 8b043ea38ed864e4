package dev.windlass.proxy.net;

import dev.windlass.proxy.ProxyOptions;
import dev.windlass.proxy.Role;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringServerSocketChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** PROXY_TRANSPORT and what the proxy runs when the transport asked for does not load here. */
class TransportChoiceTest {
    private static final Transport.Availability LOADS = new Transport.Availability(true, null);
    private final List<String> warnings = new ArrayList<>();

    @Test
    void ioUringWhereItLoadsIsKeptWithoutAWarning() {
        assertThat(Transport.choose(TransportKind.IO_URING, () -> LOADS, () -> LOADS, warnings::add))
                .isEqualTo(TransportKind.IO_URING);
        assertThat(warnings).isEmpty();
    }

    @Test
    void ioUringThatDoesNotLoadFallsBackToEpollWithOneWarningNamingTheCause() {
        Transport.Availability blocked = new Transport.Availability(false,
                new UnsupportedOperationException("io_uring_setup: Operation not permitted"));
        assertThat(Transport.choose(TransportKind.IO_URING, () -> blocked, () -> LOADS, warnings::add))
                .isEqualTo(TransportKind.EPOLL);
        assertThat(warnings).singleElement().asString().contains("io_uring", "Operation not permitted", "using epoll");
    }

    @Test
    void epollIsNeverProbedForIoUring() {
        Supplier<Transport.Availability> untouched = () -> {
            throw new AssertionError("io_uring probed (its native library loaded) for an epoll proxy");
        };
        assertThat(Transport.choose(TransportKind.EPOLL, untouched, () -> LOADS, warnings::add))
                .isEqualTo(TransportKind.EPOLL);
        assertThat(Transport.choose(TransportKind.NIO, untouched, untouched, warnings::add)).isEqualTo(TransportKind.NIO);
        assertThat(warnings).isEmpty();
    }

    @Test
    void withNeitherNativeTransportTheProxyRunsNioAndSaysWhyTwice() {
        Transport.Availability missing = new Transport.Availability(false, new UnsatisfiedLinkError("no .so"));
        assertThat(Transport.choose(TransportKind.IO_URING, () -> missing, () -> missing, warnings::add))
                .isEqualTo(TransportKind.NIO);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1)).contains("NIO", "without SO_ORIGINAL_DST");
    }

    @Test
    void theSettingIsEpollByDefaultAndNamesItsChoicesWhenWrong() {
        assertThat(options(Map.of()).transport()).isEqualTo(TransportKind.EPOLL);
        assertThat(options(Map.of("PROXY_TRANSPORT", "io_uring")).transport()).isEqualTo(TransportKind.IO_URING);
        assertThat(options(Map.of("PROXY_TRANSPORT", "NIO")).transport()).isEqualTo(TransportKind.NIO);
        assertThatThrownBy(() -> options(Map.of("PROXY_TRANSPORT", "uring")))
                .hasMessage("PROXY_TRANSPORT=uring: not one of epoll, io_uring, nio");
    }

    @Test
    void ioUringOnThisMachineGivesIoUringChannels() {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
        Transport transport = Transport.create(TransportKind.IO_URING, 1);
        try {
            assertThat(transport.kind()).isEqualTo(TransportKind.IO_URING);
            assertThat(transport.serverChannel()).isEqualTo(IoUringServerSocketChannel.class);
        } finally {
            transport.group().shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static ProxyOptions options(Map<String, String> env) {
        return ProxyOptions.parse(Role.SIDECAR, new String[0], env);
    }
}
