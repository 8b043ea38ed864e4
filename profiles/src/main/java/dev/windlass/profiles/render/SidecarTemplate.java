package dev.windlass.profiles.render;

import dev.windlass.api.v1alpha1.MeshConfig.ProxyDefaults;
import dev.windlass.contract.MeshPorts;
import dev.windlass.contract.ProxyImage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;

import java.util.Map;
import java.util.TreeMap;

/**
 * What injection adds to a pod: the windlass-init init container and the windlass-proxy sidecar, both from the
 * proxy image (the first argument picks the role). The injector and {@code windlass kube-inject} read this from
 * the injection ConfigMap and add only what depends on the pod itself (traffic annotations, probe rewriting).
 */
final class SidecarTemplate {
    private SidecarTemplate() {
    }

    static PodSpec render(MeshContext ctx) {
        return new PodSpecBuilder()
                .withInitContainers(initContainer(ctx))
                .withContainers(sidecar(ctx))
                .withVolumes(new VolumeBuilder().withName("windlass-tmp").withNewEmptyDir().withMedium("Memory").endEmptyDir().build(),
                        ProxyIdentityVolumes.token(), ProxyIdentityVolumes.root(ctx))
                .build();
    }

    /** Settings the injector needs besides the containers. */
    static Map<String, Object> injectorValues(MeshContext ctx) {
        Map<String, Object> values = new TreeMap<>();
        values.put("revision", ctx.revision());
        values.put("version", ctx.versionText());
        values.put("rewriteAppHTTPProbes", ctx.spec().values().sidecarInjector().rewriteAppHTTPProbes());
        values.put("holdApplicationUntilProxyStarts", ctx.spec().meshConfig().defaultConfig().holdApplicationUntilProxyStarts());
        return values;
    }

    private static Container initContainer(MeshContext ctx) {
        return new ContainerBuilder()
                .withName(ProxyImage.INIT_CONTAINER)
                .withImage(ctx.image(ctx.version().images().proxy()))
                .withImagePullPolicy(ctx.spec().values().global().imagePullPolicy().name())
                .withArgs("init")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("32Mi")))
                .withLimits(Map.of("memory", new Quantity("128Mi")))
                .endResources()
                // iptables needs root with NET_ADMIN and NET_RAW, for this one short-lived container only.
                .withSecurityContext(new SecurityContextBuilder()
                        .withRunAsUser(0L).withRunAsGroup(0L).withRunAsNonRoot(false)
                        .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true).withPrivileged(false)
                        .withNewCapabilities().withAdd("NET_ADMIN", "NET_RAW").withDrop("ALL").endCapabilities()
                        .build())
                .build();
    }

    private static Container sidecar(MeshContext ctx) {
        ProxyDefaults proxy = ctx.spec().meshConfig().defaultConfig();
        return new ContainerBuilder()
                .withName(ProxyImage.PROXY_CONTAINER)
                .withImage(ctx.image(ctx.version().images().proxy()))
                .withImagePullPolicy(ctx.spec().values().global().imagePullPolicy().name())
                .withArgs("sidecar")
                .withPorts(DiscoveryServer.port("http-envoy-prom", MeshPorts.PROXY_METRICS))
                .withEnv(ProxyEnv.of(ctx))
                .withResources(proxy.resources())
                .withNewReadinessProbe()
                .withNewHttpGet().withPath("/healthz/ready").withPort(new IntOrString(MeshPorts.PROXY_READINESS)).endHttpGet()
                .withInitialDelaySeconds(0).withPeriodSeconds(2).withTimeoutSeconds(2).withFailureThreshold(30)
                .endReadinessProbe()
                .withSecurityContext(new SecurityContextBuilder(PodSecurity.container())
                        .withRunAsUser(PodSecurity.MESH_UID).withRunAsGroup(PodSecurity.MESH_UID).withRunAsNonRoot(true)
                        .build())
                .addNewVolumeMount().withName("windlass-tmp").withMountPath("/tmp").endVolumeMount()
                .addToVolumeMounts(ProxyIdentityVolumes.tokenMount(), ProxyIdentityVolumes.rootMount())
                .build();
    }
}
