package dev.windlass.profiles.render;

import dev.windlass.contract.MeshIdentity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

/**
 * What a proxy needs to talk to the discovery server's authenticated port (15012): the pod's ServiceAccount token
 * for the audience windlass-ca (sidecars and gateways), and for gateways, which the injector does not see, the
 * mesh CA's certificate from the ConfigMap the discovery server keeps in its namespace.
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
     * Optional: outside the discovery server's namespace the ConfigMap is not there, and the gateway then dials the
     * plaintext port (logged), as before.
     */
    static Volume root() {
        return new VolumeBuilder().withName(ROOT).withNewConfigMap().withName(MeshIdentity.ROOT_CERT_CONFIGMAP)
                .withOptional(true).endConfigMap().build();
    }

    static VolumeMount rootMount() {
        return new VolumeMountBuilder().withName(ROOT).withMountPath(MeshIdentity.ROOT_CERT_DIRECTORY).withReadOnly(true).build();
    }
}
