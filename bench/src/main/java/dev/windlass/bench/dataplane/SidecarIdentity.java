package dev.windlass.bench.dataplane;

import dev.windlass.bench.mesh.ControlPlane;
import dev.windlass.bench.mesh.MeshObjects;
import dev.windlass.contract.EnvVars;
import dev.windlass.contract.MeshPorts;
import dev.windlass.contract.SpiffeId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an injected sidecar is given to get a workload certificate, laid out for a bench pod: the CA root
 * (CA_ROOT_CERT, from the discovery server's CA Secret), a projected-style token bound to the pod (XDS_TOKEN_PATH),
 * its ServiceAccount, and the discovery server's TLS port at its Service name, which the serving certificate names
 * and the proxy checks. The name resolves, inside the pod's namespace only, to the loopback, where socat relays
 * 15012 to the host's discovery server: a hosts file under /etc/netns/NS, which {@code ip netns exec} mounts over
 * /etc/hosts (the proxy's verification is left as it is; the certificate has no IP SAN to dial instead).
 */
final class SidecarIdentity implements AutoCloseable {
    private final ControlPlane controlPlane;
    private final String caRoot;
    private final Path tokens;

    private SidecarIdentity(ControlPlane controlPlane, String caRoot, Path tokens) {
        this.controlPlane = controlPlane;
        this.caRoot = caRoot;
        this.tokens = tokens;
    }

    static SidecarIdentity create(ControlPlane controlPlane) throws IOException {
        return new SidecarIdentity(controlPlane, controlPlane.caRootPem(), Files.createTempDirectory("windlass-bench-tokens-"));
    }

    static String spiffeId(String serviceAccount) {
        return new SpiffeId(SpiffeId.DEFAULT_TRUST_DOMAIN, MeshObjects.NAMESPACE, serviceAccount).uri();
    }

    /** The namespace's hosts entry for the discovery server's Service name. */
    void prepareNamespace(String namespace) throws IOException {
        Path dir = Files.createDirectories(Path.of("/etc/netns", namespace));
        Files.writeString(dir.resolve("hosts"), Files.readString(Path.of("/etc/hosts")) + "\n127.0.0.1 "
                + controlPlane.serviceHost() + "\n");
    }

    /** The socat relay, inside the pod, from 127.0.0.1:15012 to the discovery server's TLS port. */
    List<String> relay() {
        return List.of("socat", "TCP-LISTEN:" + MeshPorts.XDS_TLS + ",bind=127.0.0.1,reuseaddr,fork",
                "UNIX-CONNECT:" + controlPlane.tlsSocket());
    }

    /** The sidecar's environment beyond its pod's name, namespace and IP; requests the pod's token. */
    Map<String, String> env(String pod, String serviceAccount) throws IOException {
        Path token = tokens.resolve(pod);
        Files.writeString(token, controlPlane.objects().sidecarToken(pod, serviceAccount));
        return Map.of(EnvVars.CA_ROOT_CERT, caRoot, "XDS_TOKEN_PATH", token.toString(), EnvVars.SERVICE_ACCOUNT, serviceAccount,
                EnvVars.DISCOVERY_ADDRESS, controlPlane.serviceHost() + ":" + MeshPorts.XDS_TLS);
    }

    @Override
    public void close() {
        try (var files = Files.list(tokens)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(tokens);
        } catch (IOException e) {
            System.err.println("[bench] could not delete " + tokens + ": " + e.getMessage());
        }
    }
}
