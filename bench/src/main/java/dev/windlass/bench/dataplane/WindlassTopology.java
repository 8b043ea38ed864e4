package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;
import dev.windlass.bench.mesh.ControlPlane;
import dev.windlass.bench.mesh.JavaCommand;
import dev.windlass.bench.mesh.MeshObjects;
import dev.windlass.bench.proc.ProcessTree;
import dev.windlass.proxy.net.TransportKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * (b) Windlass: both pods run the init program's capture rules and the real sidecar ({@code dev.windlass.proxy.Main
 * sidecar}, image JVM flags, GID 1337 as injected), configured over ADS by the real discovery server, which sees
 * the two pods, Service {@code server} and its EndpointSlice in the apiserver. The client calls the ClusterIP,
 * as an app in a mesh does: the client sidecar takes the connection on 15001 and the server sidecar on 15006.
 * Without an identity the sidecars use the discovery server's plaintext port and send plain text to each other;
 * the mTLS variant's get certificates over its TLS port as injected ones do ({@link SidecarIdentity}).
 */
public final class WindlassTopology extends Topology {
    private final SidecarLauncher launcher;
    private final Variant variant;
    private final String service;
    private final String clientPod;
    private final String serverPod;
    private String clusterIp;
    private Process clientSidecar;
    private Process serverSidecar;
    private SidecarIdentity identity;

    private WindlassTopology(PodPair pods, Path logDir, SidecarLauncher launcher, Variant variant) {
        super(pods, logDir);
        this.launcher = launcher;
        this.variant = variant;
        this.service = "server" + variant.suffix();
        this.clientPod = "client" + variant.suffix() + "-5d8f7c9b4d-x7k2p";
        this.serverPod = service + "-7c9d8b7f5c-q2w4r";
    }

    /**
     * What the Service's Istio config holds. {@code routes} > 0: a VirtualService with that many HTTP routes, the
     * requests' own last, so each request first fails the others' header condition (what a long route table costs).
     * {@code policies}: a DestinationRule with a connection pool and outlier detection, limits the load never reaches
     * (what keeping the circuit breaker's and the detector's counts costs). {@code mtls}: both sidecars hold workload
     * certificates and the server pod is labelled as holding one, so the client sidecar sends mesh mTLS (auto mTLS)
     * and the server sidecar takes it (PERMISSIVE, Istio's default): TLS between the sidecars, certificates both ways.
     * {@code transport}: the sidecars' PROXY_TRANSPORT (issue 21: io_uring beside the default epoll).
     * {@code baseline}: the plain pair, run by another build's sidecars and discovery server (BENCH_BASELINE).
     */
    public record Variant(int routes, boolean policies, boolean mtls, TransportKind transport, boolean baseline) {
        public static final Variant PLAIN = new Variant(0, false, false, TransportKind.EPOLL, false);
        public static final Variant POLICIES = new Variant(0, true, false, TransportKind.EPOLL, false);
        public static final Variant MTLS = new Variant(0, false, true, TransportKind.EPOLL, false);
        public static final Variant IO_URING = new Variant(0, false, false, TransportKind.IO_URING, false);
        public static final Variant BASELINE = new Variant(0, false, false, TransportKind.EPOLL, true);

        public static Variant routes(int routes) {
            return new Variant(routes, false, false, TransportKind.EPOLL, false);
        }

        /** Of the Kubernetes names (Service, pods), which allow no underscore. */
        String suffix() {
            return routes > 0 ? "-routes" : policies ? "-policies" : mtls ? "-mtls" : baseline ? "-baseline"
                    : otherTransport() ? "-" + transport.settingValue().replace('_', '-') : "";
        }

        String topologyName() {
            return routes > 0 ? "windlass-" + routes + "-routes"
                    : otherTransport() ? "windlass-" + transport.settingValue() : "windlass" + suffix();
        }

        boolean otherTransport() {
            return transport != TransportKind.EPOLL;
        }
    }

    /**
     * A sidecar's JVM, class path and flags (the image's, then {@code extraFlags}, which win: BENCH_PROXY_EXTRA_FLAGS,
     * for experiments), and the Unix socket to the discovery server.
     */
    public record SidecarLauncher(Path java, String classpath, List<String> imageFlags, List<String> extraFlags,
                                  ControlPlane controlPlane) {
        List<String> command() {
            List<String> flags = new ArrayList<>(imageFlags);
            flags.addAll(extraFlags);
            List<String> command = new ArrayList<>(List.of("setpriv", "--regid", "1337", "--clear-groups"));
            command.addAll(JavaCommand.of(java, flags, classpath, "dev.windlass.proxy.Main", "sidecar"));
            return command;
        }
    }

    public static WindlassTopology start(PodPair pods, Path logDir, Path fortio, List<String> initCommand,
                                         SidecarLauncher launcher, Variant variant) throws Exception {
        WindlassTopology topology = new WindlassTopology(pods, logDir, launcher, variant);
        if (variant.mtls()) {
            topology.identity = SidecarIdentity.create(launcher.controlPlane());
        }
        topology.publish(launcher.controlPlane().objects());
        topology.startServer(fortio);
        topology.pods.exec(pods.client(), "ip", "route", "add", topology.clusterIp + "/32", "dev", "eth0");
        for (String namespace : List.of(pods.client(), pods.server())) {
            topology.start(namespace, "xds-relay-" + namespace, topology.xdsRelay(namespace), Map.of());
            captureTraffic(namespace, initCommand);
        }
        topology.serverSidecar = topology.startSidecar(pods.server(), topology.serverPod, pods.serverIp());
        topology.clientSidecar = topology.startSidecar(pods.client(), topology.clientPod, pods.clientIp());
        ReadyPoll.awaitHttp(pods.server(), "http://127.0.0.1:15021/healthz/ready", 60);
        ReadyPoll.awaitHttp(pods.client(), "http://127.0.0.1:15021/healthz/ready", 60);
        topology.awaitVariant();
        return topology;
    }

    /**
     * The client sidecar must hold the Service's whole config (and mTLS be on), and both sidecars run the transport
     * asked for, before the pair is measured.
     */
    private void awaitVariant() throws Exception {
        if (variant.otherTransport()) {
            checkTransport();
        }
        if (variant.routes() > 0) {
            ReadyPoll.awaitAdmin(pods.client(), "/config_dump", "tenant-" + (variant.routes() - 1),
                    "the " + variant.routes() + "-route VirtualService");
        }
        if (variant.policies()) {
            ReadyPoll.awaitAdmin(pods.client(), "/config_dump", "\"outlier_detection\"", "the DestinationRule");
        }
        if (variant.mtls()) {
            long handshakes = MtlsCheck.verify(pods, url(), SidecarIdentity.spiffeId(clientApp()),
                    SidecarIdentity.spiffeId(service));
            DataPlaneBench.log(name() + ": mesh mTLS checked (certificates, the client's match for the server's SPIFFE id, "
                    + "the client's id in x-forwarded-client-cert at the server; " + handshakes + " TLS handshakes)");
        }
    }

    /**
     * io_uring falls back to epoll where it does not load (kernel, seccomp), which would make the pair a second epoll
     * pair under another name: the run stops instead, with what the sidecar's {@code /server_info} said.
     */
    private void checkTransport() throws Exception {
        String wanted = "\"transport\": \"" + variant.transport().settingValue() + "\"";
        for (String namespace : List.of(pods.client(), pods.server())) {
            String info = Cmd.run(Cmd.inNetns(namespace, List.of("curl", "-s", "-m", "5", "http://127.0.0.1:15000/server_info")));
            if (!info.contains(wanted)) {
                throw new IllegalStateException("the sidecar in " + namespace + " of " + name() + " does not run "
                        + variant.transport().settingValue() + " (see the WARN line in its log); /server_info said:\n" + info);
            }
        }
        DataPlaneBench.log(name() + ": both sidecars run " + variant.transport().settingValue() + " (/server_info)");
    }

    /** The socat relay to the discovery server inside a pod: its TLS port for a sidecar with an identity, else 15010. */
    private List<String> xdsRelay(String namespace) throws Exception {
        if (identity != null) {
            identity.prepareNamespace(namespace);
            return identity.relay();
        }
        return List.of("socat", "TCP-LISTEN:15010,bind=127.0.0.1,reuseaddr,fork",
                "UNIX-CONNECT:" + launcher.controlPlane().socket());
    }

    private String clientApp() {
        return "client" + variant.suffix();
    }

    private void publish(MeshObjects objects) {
        if (variant.mtls()) {
            objects.meshPod(clientPod, clientApp(), pods.clientIp(), clientApp());
            objects.meshPod(serverPod, service, pods.serverIp(), service);
        } else {
            objects.pod(clientPod, clientApp(), pods.clientIp());
            objects.pod(serverPod, service, pods.serverIp());
        }
        clusterIp = objects.service(service, APP_PORT);
        objects.endpoints(service, APP_PORT, List.of(pods.serverIp()), List.of(serverPod));
        if (variant.routes() > 0) {
            objects.virtualService(service, variant.routes());
        }
        if (variant.policies()) {
            objects.destinationRule(service);
        }
    }

    private Process startSidecar(String namespace, String pod, String ip) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("POD_NAME", pod, "POD_NAMESPACE", MeshObjects.NAMESPACE,
                "INSTANCE_IP", ip, "DISCOVERY_ADDRESS", "127.0.0.1:15010"));
        if (identity != null) {
            env.putAll(identity.env(pod, pod.equals(clientPod) ? clientApp() : service));
        }
        if (variant.otherTransport()) {
            env.put("PROXY_TRANSPORT", variant.transport().settingValue());
        }
        return start(namespace, "sidecar-" + pod, launcher.command(), env);
    }

    /**
     * Restarts the client sidecar {@code runs} times: from the process start to {@code /healthz/ready} 200 (first
     * full config applied), and its RSS 5 s later, idle. The last one started stays for the load.
     */
    public List<StartupSample> measureStartup(int runs) throws Exception {
        List<StartupSample> samples = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            stopProcess(clientSidecar);
            long start = System.nanoTime();
            clientSidecar = startSidecar(pods.client(), clientPod, pods.clientIp());
            ReadyPoll.awaitHttp(pods.client(), "http://127.0.0.1:15021/healthz/ready", 60);
            double readyMs = (System.nanoTime() - start) / 1e6;
            Thread.sleep(5000);
            samples.add(new StartupSample(readyMs, new ProcessTree("windlass client", clientSidecar.pid()).rssMiB()));
        }
        return samples;
    }

    public record StartupSample(double readyMs, double idleRssMiB) {
    }

    @Override
    public synchronized void close() {
        super.close();
        if (identity != null) {
            identity.close();
        }
    }

    @Override
    public String url() {
        return "http://" + clusterIp + ":80";
    }

    @Override
    public String name() {
        return variant.topologyName();
    }

    @Override
    public List<ProcessTree> proxies() {
        return List.of(new ProcessTree(name() + " client", clientSidecar.pid()),
                new ProcessTree(name() + " server", serverSidecar.pid()));
    }
}
