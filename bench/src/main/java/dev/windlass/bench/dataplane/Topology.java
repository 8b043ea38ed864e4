package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;
import dev.windlass.bench.proc.ProcessTree;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One way from a load client to the fortio server: a {@link PodPair} with the fortio server (it echoes request
 * bodies, and serves {@code ?size=N} bytes) on 8080 in the server pod, plus whatever proxies the topology puts
 * in between. The load always targets {@link #url()} from the client pod.
 */
public abstract class Topology implements AutoCloseable {
    static final int APP_PORT = 8080;

    protected final PodPair pods;
    protected final Path logDir;
    private final List<Process> processes = new ArrayList<>();
    private boolean closed;

    protected Topology(PodPair pods, Path logDir) {
        this.pods = pods;
        this.logDir = logDir;
    }

    /** direct, windlass, nginx or haproxy. */
    public abstract String name();

    /** The proxies on the path, client side first; none for direct. */
    public abstract List<ProcessTree> proxies();

    /** Where the client sends its requests: the server pod, or for Windlass the Service's ClusterIP. */
    public String url() {
        return "http://" + pods.serverIp() + ":" + APP_PORT;
    }

    public PodPair pods() {
        return pods;
    }

    void startServer(Path fortio) throws Exception {
        start(pods.server(), "fortio-server", List.of(fortio.toString(), "server", "-http-port", String.valueOf(APP_PORT),
                "-grpc-port", "disabled", "-redirect-port", "disabled", "-loglevel", "Warning"), Map.of());
        ReadyPoll.awaitHttp(pods.server(), "http://127.0.0.1:" + APP_PORT + "/echo", 30);
    }

    /**
     * Starts a long-running command in a namespace (null: the host's, for relays to the harness), stopped with the
     * topology; logs to LOGDIR/NAME-LABEL.log.
     */
    protected Process start(String namespace, String label, List<String> command, Map<String, String> env)
            throws Exception {
        List<String> full = namespace == null ? command : Cmd.inNetns(namespace, command);
        Process process = Cmd.start(full, env, logDir.resolve(name() + "-" + label + ".log"));
        processes.add(process);
        return process;
    }

    protected void stopProcess(Process process) {
        Cmd.stop(process);
        processes.remove(process);
    }

    /** Applies the init program's capture rules (mesh-components/init) in a pod, as the injected init container does. */
    protected static void captureTraffic(String namespace, List<String> initCommand) throws Exception {
        Cmd.run(Cmd.inNetns(namespace, initCommand));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        new ArrayList<>(processes).forEach(Cmd::stop);
        processes.clear();
        pods.delete();
    }
}
