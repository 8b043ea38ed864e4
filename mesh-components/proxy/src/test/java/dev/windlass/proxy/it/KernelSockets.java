package dev.windlass.proxy.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's view of an established loopback TCP socket ({@code /proc/net/tcp}, {@code tcp6} for dual-stack ones): which timer it runs and when
 * it is due. A socket with SO_KEEPALIVE and nothing in flight runs its keepalive timer (kind 2), due within
 * TCP_KEEPIDLE; one without runs none (kind 0).
 */
final class KernelSockets {
    /** USER_HZ: the unit of the table's timer column. */
    private static final double TICKS_PER_SECOND = 100;

    record Timer(int active, double dueSeconds) {
    }

    private KernelSockets() {
    }

    /** The established socket from local port {@code localPort} (0: any) to remote port {@code remotePort}. */
    static Timer timer(int localPort, int remotePort) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> rows = Files.exists(Path.of(table)) ? Files.readAllLines(Path.of(table)) : List.of();
            lines.addAll(rows.isEmpty() ? rows : rows.subList(1, rows.size()));
        }
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
            int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
            if ("01".equals(f[3]) && remote == remotePort && (localPort == 0 || local == localPort)) {
                String[] timer = f[5].split(":");
                return new Timer(Integer.parseInt(timer[0], 16), Long.parseLong(timer[1], 16) / TICKS_PER_SECOND);
            }
        }
        throw new AssertionError("no established socket " + localPort + " -> " + remotePort + " in /proc/net/tcp[6]");
    }
}
