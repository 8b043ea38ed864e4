package dev.windlass.profiles.render;

import dev.windlass.contract.MeshIdentity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

/**
 * What a proxy needs to talk to the discovery server's authenticated port (15012), the only xDS port by default:
 * the pod's ServiceAccount token for the audience windlass-ca, and the mesh CA's certificate from the ConfigMap
 * the discovery server keeps in every namespace (Istio's istio-token and istio-ca-root-cert).
 */
final class ProxyIdentityVolumes {
    private static final String TOKEN = "windlass-token";
    private static final String ROOT = "windlass-ca-root";

    private ProxyIdentityVolumes() {
    }

    /** Projected; the kubelet refreshes it before it expires (12 h, as Istio's istio-token). */
    static Volume token() {
        return new VolumeBuilder().withName(TOKEN).withNewProjected().addNewSource().withNewServiceAccountToken()
                .withAudience(MeshIdentity.CA_AUDIENCE).withExpirationSeconds(43200L).withPath(MeshIdentity.TOKEN_FILE)
                .endServiceAccountToken().endSource().endProjected().build();
    }

    static VolumeMount tokenMount() {
        return new VolumeMountBuilder().withName(TOKEN).withMountPath(MeshIdentity.TOKEN_DIRECTORY).withReadOnly(true).build();
    }

    /**
     * Not optional: a pod created before the discovery server wrote the ConfigMap into a new namespace waits for it
     * (the kubelet retries the mount) rather than start a proxy that cannot reach 15012.
     */
    static Volume root(MeshContext ctx) {
        return new VolumeBuilder().withName(ROOT).withNewConfigMap().withName(MeshIdentity.rootCertConfigMap(ctx.namespace()))
                .endConfigMap().build();
    }

    static VolumeMount rootMount() {
        return new VolumeMountBuilder().withName(ROOT).withMountPath(MeshIdentity.ROOT_CERT_DIRECTORY).withReadOnly(true).build();
    }
}
