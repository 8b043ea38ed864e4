package dev.windlass.profiles.render;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/** The restricted Pod Security Standard, which every workload Windlass runs meets. */
final class PodSecurity {
    /** The mesh's own processes run as this user and group; the iptables rules let its traffic through. */
    static final long MESH_UID = 1337L;

    private PodSecurity() {
    }

    static PodSecurityContext pod() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true).withRunAsUser(MESH_UID).withRunAsGroup(MESH_UID).withFsGroup(MESH_UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    static SecurityContext container() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true).withPrivileged(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }
}
