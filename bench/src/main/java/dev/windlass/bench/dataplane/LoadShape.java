package dev.windlass.bench.dataplane;

import dev.windlass.bench.Settings;

import java.util.List;

/**
 * One load: fortio at a fixed rate ({@code qps} requests/s over {@code connections}, 1 KB request bodies echoed
 * back, so 1 KB each way), or, with {@code qps} 0, wrk at its maximum rate (GET of a 1 KB response).
 */
public record LoadShape(String name, int qps, int connections, int seconds) {

    public boolean maxThroughput() {
        return qps == 0;
    }

    /** The shapes: the 1000 rps / 16 connections one for the full time, the others for the shorter one. */
    public static List<LoadShape> all(Settings settings) {
        return List.of(new LoadShape("1000rps-16c", 1000, 16, settings.primarySeconds()),
                new LoadShape("1000rps-4c", 1000, 4, settings.secondarySeconds()),
                new LoadShape("100rps-16c", 100, 16, settings.secondarySeconds()),
                new LoadShape("max-wrk-16c", 0, 16, settings.wrkSeconds()));
    }
}
