package dev.windlass.proxy.config;

import java.util.concurrent.ThreadLocalRandom;

/** A request mirror policy: the shadow cluster and the share of requests copied there, per million. */
public record MirrorConfig(String cluster, int perMillion) {

    public boolean sampled() {
        return perMillion >= 1_000_000 || (perMillion > 0 && ThreadLocalRandom.current().nextInt(1_000_000) < perMillion);
    }
}
