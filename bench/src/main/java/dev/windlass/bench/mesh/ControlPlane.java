package dev.windlass.bench.mesh;

import dev.windlass.bench.Cmd;
import dev.windlass.contract.MeshIdentity;
import dev.windlass.contract.Revisions;
import dev.windlass.testsupport.ApiServer;
import dev.windlass.testsupport.DiscoveryProcess;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real kube-apiserver and etcd (kube-api-test, from the binaries the cluster build lays out in ~/.kubeapitest)
 * and the real discovery server watching it. The discovery server listens on the host's loopback; pods in network
 * namespaces reach it through Unix sockets, {@link #socket()} (plaintext xDS) and {@link #tlsSocket()} (the
 * authenticated port: TLS, tokens, the CA), relayed by socat (the namespaces have no link to the host's network).
 */
public final class ControlPlane implements AutoCloseable {
    private final KubernetesClient client;
    private final DiscoveryProcess discovery;
    private final List<Process> relays;
    private final Path socket;
    private final Path tlsSocket;

    private ControlPlane(KubernetesClient client, DiscoveryProcess discovery, List<Process> relays, Path socket,
                         Path tlsSocket) {
        this.client = client;
        this.discovery = discovery;
        this.relays = relays;
        this.socket = socket;
        this.tlsSocket = tlsSocket;
    }

    /** Starts the apiserver, creates the namespaces, starts the discovery server and waits until it is ready. */
    public static ControlPlane start(Path java, String discoveryClasspath, Path logDir) throws Exception {
        KubernetesClient client = ApiServer.client();
        // Istio's traffic API, so that the discovery server watches it from the start (the 50-route topology).
        ApiServer.installIstioCrds();
        new MeshObjects(client).createNamespaces();
        return launch(client, java, discoveryClasspath, logDir, "");
    }

    /**
     * Another discovery server (another build's class path: the baseline's) on the same apiserver, with its own
     * sockets; its files in {@code logDir} start with {@code label-}. The plain-text pair it serves needs nothing of
     * the CA both servers share.
     */
    public ControlPlane another(Path java, String discoveryClasspath, Path logDir, String label) throws Exception {
        return launch(client, java, discoveryClasspath, logDir, label + "-");
    }

    private static ControlPlane launch(KubernetesClient client, Path java, String discoveryClasspath, Path logDir,
                                       String prefix) throws Exception {
        DiscoveryProcess discovery = DiscoveryProcess.start(JavaCommand.launcher(java, JavaCommand.DISCOVERY_FLAGS, discoveryClasspath),
                ApiServer.kubeconfigFile(), MeshObjects.CONTROL_PLANE_NAMESPACE, logDir.resolve(prefix + "discovery.log"));
        discovery.awaitReady(Duration.ofSeconds(120));
        Path socket = logDir.resolve(prefix + "xds.sock");
        Path tlsSocket = logDir.resolve(prefix + "xds-tls.sock");
        List<Process> relays = List.of(relay(socket, discovery.xdsPort(), logDir.resolve(prefix + "xds-relay.log")),
                relay(tlsSocket, discovery.xdsTlsPort(), logDir.resolve(prefix + "xds-tls-relay.log")));
        return new ControlPlane(client, discovery, relays, socket, tlsSocket);
    }

    private static Process relay(Path socket, int port, Path log) throws Exception {
        Files.deleteIfExists(socket);
        return Cmd.start(List.of("socat", "UNIX-LISTEN:" + socket + ",fork,mode=777", "TCP:127.0.0.1:" + port), Map.of(), log);
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

    public Path tlsSocket() {
        return tlsSocket;
    }

    /**
     * The name the discovery server's serving certificate carries (its Service's), which a sidecar with an identity
     * dials and checks the certificate against, as in a cluster.
     */
    public String serviceHost() {
        return Revisions.discoveryName("") + "." + MeshObjects.CONTROL_PLANE_NAMESPACE + ".svc";
    }

    /**
     * The mesh CA's certificate, from the Secret the discovery server created at its start (its key {@code ca.crt};
     * the root ConfigMap's name depends on the release, the Secret's does not).
     */
    public String caRootPem() {
        Secret secret = client.secrets().inNamespace(MeshObjects.CONTROL_PLANE_NAMESPACE).withName(MeshIdentity.CA_SECRET).get();
        if (secret == null || secret.getData() == null || !secret.getData().containsKey("ca.crt")) {
            throw new IllegalStateException("the discovery server wrote no Secret " + MeshIdentity.CA_SECRET + " with ca.crt in "
                    + MeshObjects.CONTROL_PLANE_NAMESPACE);
        }
        return new String(Base64.getDecoder().decode(secret.getData().get("ca.crt")), StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        relays.forEach(Cmd::stop);
        discovery.close();
    }
}
