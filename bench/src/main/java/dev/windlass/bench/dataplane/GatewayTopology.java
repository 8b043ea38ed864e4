package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;
import dev.windlass.bench.proc.ProcessTree;

import java.nio.file.Path;
import java.util.List;

/**
 * An ingress gateway in front of the fortio server: the gateway proxy runs in the server pod, listening for plain
 * HTTP on {@link #PLAIN_PORT} and terminating TLS on {@link #TLS_PORT} with the same ECDSA certificate for every
 * contender, forwarding to 127.0.0.1:8080 over kept-alive connections. The client pod runs wrk against it.
 */
abstract class GatewayTopology extends Topology {
    static final int PLAIN_PORT = 8000;
    static final int TLS_PORT = 8443;
    private ProcessTree proxy;

    GatewayTopology(PodPair pods, Path logDir) {
        super(pods, logDir);
    }

    /** Starts the gateway proxy and returns it; {@code certificates} holds tls.crt and tls.key (owned by 1337). */
    protected abstract Process startProxy(Path certificates) throws Exception;

    GatewayTopology start(Path fortio, Path certificates) throws Exception {
        startServer(fortio);
        proxy = new ProcessTree(name(), startProxy(certificates).pid());
        ReadyPoll.awaitHttp(pods.client(), plainUrl() + "/echo", 60);
        Cmd.run(Cmd.inNetns(pods.client(), List.of("curl", "-sfk", "-o", "/dev/null", tlsUrl() + "/echo")));
        return this;
    }

    String plainUrl() {
        return "http://" + pods.serverIp() + ":" + PLAIN_PORT;
    }

    String tlsUrl() {
        return "https://" + pods.serverIp() + ":" + TLS_PORT;
    }

    ProcessTree proxy() {
        return proxy;
    }

    @Override
    public List<ProcessTree> proxies() {
        return List.of(proxy);
    }

    /** The proxy's command prefixed to run it as UID and GID 1337, like the mesh's proxies. */
    static List<String> asProxyUser(List<String> command) {
        List<String> full = new java.util.ArrayList<>(List.of("setpriv", "--reuid", "1337", "--regid", "1337",
                "--clear-groups"));
        full.addAll(command);
        return full;
    }
}
