package dev.windlass.proxy.net;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which Netty transport carries the proxy's sockets, by the name PROXY_TRANSPORT and the admin use for it. */
public enum TransportKind {
    EPOLL("epoll"),
    IO_URING("io_uring"),
    /** The JDK's selector: no SO_ORIGINAL_DST, so a sidecar's capture ports cannot route; for gateways and tests. */
    NIO("nio");

    private final String settingValue;

    TransportKind(String settingValue) {
        this.settingValue = settingValue;
    }

    public String settingValue() {
        return settingValue;
    }

    /** {@code epoll}, {@code io_uring} or {@code nio}, in any case; anything else is refused with the choices. */
    public static TransportKind fromSetting(String name, String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(kind -> kind.settingValue.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + "=" + value + ": not one of "
                        + Arrays.stream(values()).map(TransportKind::settingValue).collect(Collectors.joining(", "))));
    }
}
