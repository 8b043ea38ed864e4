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

    /**
     * A gateway's pod: the same, and every port unprivileged inside the pod's own network namespace, so that the
     * proxy (UID 1337, no capabilities) binds the Gateway's port numbers (80, 443) itself, as Istio's gateways
     * do. The sysctl is namespaced and in Kubernetes' safe set, which the restricted standard allows.
     */
    static PodSecurityContext gatewayPod() {
        return new PodSecurityContextBuilder(pod()).addNewSysctl().withName(UNPRIVILEGED_PORT_START).withValue("0").endSysctl().build();
    }

    static final String UNPRIVILEGED_PORT_START = "net.ipv4.ip_unprivileged_port_start";

    static SecurityContext container() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true).withPrivileged(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }
}
