package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;
import dev.windlass.bench.proc.ProcessTree;
import dev.windlass.contract.MeshPorts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * (c) and (d): the same two hops as Windlass's, through a conventional reverse proxy in each pod. Both pods get the
 * init program's capture rules, so the traffic is taken exactly where Windlass's sidecars take it: the client's
 * connection to the server pod is redirected to 15001 in the client pod, the arriving connection to 15006 in the
 * server pod. The proxies run as UID and GID 1337, which the rules exempt; each has a fixed upstream (the server
 * pod's 8080, then 127.0.0.1:8080) with keep-alive connections, and 2 worker processes or threads, as Windlass's
 * 2 event loops.
 */
public abstract class ReverseProxyTopology extends Topology {
    private final List<ProcessTree> proxies = new ArrayList<>();

    protected ReverseProxyTopology(PodPair pods, Path logDir) {
        super(pods, logDir);
    }

    /** The proxy's configuration file text, listening on {@code listenPort} and forwarding to {@code upstream}. */
    protected abstract String config(Path dir, int listenPort, String upstream);

    /** The command that runs the proxy in the foreground with that file. */
    protected abstract List<String> command(Path dir, Path configFile);

    /** Starts the server, the capture rules and both proxies; returns once a request passes through them. */
    ReverseProxyTopology start(Path fortio, List<String> initCommand) throws Exception {
        startServer(fortio);
        captureTraffic(pods.client(), initCommand);
        captureTraffic(pods.server(), initCommand);
        proxies.add(startProxy(pods.client(), "client", MeshPorts.OUTBOUND_CAPTURE, pods.serverIp() + ":" + APP_PORT));
        proxies.add(startProxy(pods.server(), "server", MeshPorts.INBOUND_CAPTURE, "127.0.0.1:" + APP_PORT));
        ReadyPoll.awaitHttp(pods.client(), url() + "/echo", 30);
        return this;
    }

    private ProcessTree startProxy(String namespace, String side, int listenPort, String upstream) throws Exception {
        Path dir = logDir.resolve(name() + "-" + side);
        Files.createDirectories(dir.resolve("tmp"));
        Path configFile = Files.writeString(dir.resolve(name() + ".conf"), config(dir, listenPort, upstream));
        Cmd.run(List.of("chown", "-R", "1337:1337", dir.toString()));
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid", "1337", "--regid", "1337", "--clear-groups"));
        command.addAll(command(dir, configFile));
        Process process = start(namespace, side, command, Map.of());
        return new ProcessTree(name() + " " + side, process.pid());
    }

    @Override
    public List<ProcessTree> proxies() {
        return List.copyOf(proxies);
    }
}
