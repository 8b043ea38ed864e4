package dev.windlass.bench.dataplane;

import java.nio.file.Path;
import java.util.List;

/** (d) HAProxy (Debian's) as the two reverse proxies, in HTTP mode with keep-alive and connection reuse upstream. */
public final class HaproxyTopology extends ReverseProxyTopology {
    HaproxyTopology(PodPair pods, Path logDir) {
        super(pods, logDir);
    }

    @Override
    public String name() {
        return "haproxy";
    }

    @Override
    protected String config(Path dir, int listenPort, String upstream) {
        return """
                global
                    nbthread 2
                    maxconn 4096
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 60s
                    timeout server 60s
                    http-reuse always
                frontend in
                    bind :%d
                    default_backend app
                backend app
                    server app %s
                """.formatted(listenPort, upstream);
    }

    @Override
    protected List<String> command(Path dir, Path configFile) {
        return List.of("haproxy", "-db", "-f", configFile.toString());
    }
}
