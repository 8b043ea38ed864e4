package dev.windlass.bench.dataplane;

import dev.windlass.bench.proc.ProcessTree;

import java.nio.file.Path;
import java.util.List;

/** (a) The baseline: the client calls the server pod directly, no proxy and no capture rules. */
public final class DirectTopology extends Topology {
    private DirectTopology(PodPair pods, Path logDir) {
        super(pods, logDir);
    }

    public static DirectTopology start(PodPair pods, Path logDir, Path fortio) throws Exception {
        DirectTopology topology = new DirectTopology(pods, logDir);
        topology.startServer(fortio);
        return topology;
    }

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public List<ProcessTree> proxies() {
        return List.of();
    }
}
