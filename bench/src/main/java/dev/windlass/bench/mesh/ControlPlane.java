package dev.windlass.bench.mesh;

import dev.windlass.bench.Cmd;
import dev.windlass.testsupport.ApiServer;
import dev.windlass.testsupport.DiscoveryProcess;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real kube-apiserver and etcd (kube-api-test, from the binaries the cluster build lays out in ~/.kubeapitest)
 * and the real discovery server watching it. The discovery server listens on the host's loopback; pods in network
 * namespaces reach it through a Unix socket, {@link #socket()}, relayed by socat (the namespaces have no link to
 * the host's network).
 */
public final class ControlPlane implements AutoCloseable {
    private final KubernetesClient client;
    private final DiscoveryProcess discovery;
    private final Process relay;
    private final Path socket;

    private ControlPlane(KubernetesClient client, DiscoveryProcess discovery, Process relay, Path socket) {
        this.client = client;
        this.discovery = discovery;
        this.relay = relay;
        this.socket = socket;
    }

    /** Starts the apiserver, creates the namespaces, starts the discovery server and waits until it is ready. */
    public static ControlPlane start(Path java, String discoveryClasspath, Path logDir) throws Exception {
        KubernetesClient client = ApiServer.client();
        // Istio's traffic API, so that the discovery server watches it from the start (the 50-route topology).
        ApiServer.installIstioCrds();
        new MeshObjects(client).createNamespaces();
        DiscoveryProcess discovery = DiscoveryProcess.start(JavaCommand.launcher(java, JavaCommand.DISCOVERY_FLAGS, discoveryClasspath),
                ApiServer.kubeconfigFile(), MeshObjects.CONTROL_PLANE_NAMESPACE, logDir.resolve("discovery.log"));
        discovery.awaitReady(Duration.ofSeconds(120));
        Path socket = logDir.resolve("xds.sock");
        Files.deleteIfExists(socket);
        Process relay = Cmd.start(List.of("socat", "UNIX-LISTEN:" + socket + ",fork,mode=777",
                "TCP:127.0.0.1:" + discovery.xdsPort()), Map.of(), logDir.resolve("xds-relay.log"));
        return new ControlPlane(client, discovery, relay, socket);
    }

    public MeshObjects objects() {
        return new MeshObjects(client);
    }

    public DiscoveryProcess discovery() {
        return discovery;
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        Cmd.stop(relay);
        discovery.close();
    }
}
