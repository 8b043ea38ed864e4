package dev.windlass.profiles.render;

import dev.windlass.api.v1alpha1.K8sSettings;
import dev.windlass.api.v1alpha1.Values;
import dev.windlass.contract.EnvVars;
import dev.windlass.contract.Labels;
import dev.windlass.contract.MeshIdentity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.windlass.contract.MeshPorts.DISCOVERY_METRICS;
import static dev.windlass.contract.MeshPorts.WEBHOOK;
import static dev.windlass.contract.MeshPorts.XDS_TLS;

/** The discovery server's Deployment and Service (ports from shared/design.md), plus its PDB and HPA. */
final class DiscoveryServer {

    private DiscoveryServer() {
    }

    static List<HasMetadata> render(MeshContext ctx) {
        WorkloadSpec workload = workload(ctx);
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(Workloads.deployment(ctx, workload));
        objects.add(service(ctx, workload));
        objects.addAll(Workloads.scaling(ctx, workload));
        return objects;
    }

    private static final String PLUGGED_CA_VOLUME = "cacerts";

    private static WorkloadSpec workload(MeshContext ctx) {
        K8sSettings k8s = ctx.spec().components().discovery().k8s();
        Map<String, String> selector = Map.of("app", "windlass-discovery", Labels.REVISION, ctx.revision());
        return new WorkloadSpec(ctx.discoveryName(), ctx.namespace(), DiscoveryRbac.COMPONENT, selector,
                Map.of("windlass", "discovery"), k8s, container(ctx), volumes(ctx));
    }

    private static Container container(MeshContext ctx) {
        return new ContainerBuilder()
                .withName("discovery")
                .withImage(ctx.image(ctx.version().images().discovery()))
                .withImagePullPolicy(ctx.spec().values().global().imagePullPolicy().name())
                .withPorts(port("tls-xds", XDS_TLS), port("http-monitoring", DISCOVERY_METRICS),
                        port("https-webhook", WEBHOOK))
                .withEnv(env(ctx))
                .withReadinessProbe(httpProbe("/ready", 1, 3))
                // Liveness only asks "is the process up": /ready waits for the first informer sync, which on a large
                // cluster can outlast a liveness budget and get a healthy server restarted.
                .withLivenessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(DISCOVERY_METRICS)).endTcpSocket()
                        .withInitialDelaySeconds(10).withPeriodSeconds(10).withFailureThreshold(6).build())
                .withSecurityContext(PodSecurity.container())
                .addNewVolumeMount().withName("mesh-config").withMountPath("/etc/windlass/config").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("inject").withMountPath("/etc/windlass/inject").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .addNewVolumeMount().withName(PLUGGED_CA_VOLUME).withMountPath(MeshIdentity.PLUGGED_CA_DIRECTORY)
                .withReadOnly(true).endVolumeMount()
                .build();
    }

    private static List<EnvVar> env(MeshContext ctx) {
        Values values = ctx.spec().values();
        List<EnvVar> env = new ArrayList<>(Workloads.podIdentityEnv());
        env.add(Workloads.env(EnvVars.REVISION, ctx.revision()));
        env.add(Workloads.env(EnvVars.MESH_INSTANCE, ctx.instance()));
        env.add(Workloads.env(EnvVars.INJECTION_WEBHOOK_NAME, InjectionWebhook.name(ctx)));
        env.add(Workloads.env(EnvVars.VALIDATION_WEBHOOK_NAME, ValidationWebhook.name(ctx)));
        env.add(Workloads.env(EnvVars.LOG_LEVEL, values.global().logLevel().name()));
        env.add(Workloads.env(EnvVars.LOG_AS_JSON, String.valueOf(values.global().logAsJson())));
        env.add(Workloads.env(EnvVars.DEBOUNCE_QUIET_MS, String.valueOf(values.discovery().debounceQuietMillis())));
        env.add(Workloads.env(EnvVars.DEBOUNCE_MAX_MS, String.valueOf(values.discovery().debounceMaxMillis())));
        return env;
    }

    private static List<Volume> volumes(MeshContext ctx) {
        return List.of(
                new VolumeBuilder().withName("mesh-config").withNewConfigMap().withName(MeshConfigMaps.meshConfigName(ctx)).endConfigMap().build(),
                // Optional: the operator applies the injection template only after the discovery server is up (so
                // that a stalled upgrade keeps injecting the running proxy); the server reads it through the API.
                new VolumeBuilder().withName("inject").withNewConfigMap().withName(MeshConfigMaps.injectorName(ctx))
                        .withOptional(true).endConfigMap().build(),
                new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build(),
                // Optional: without it the server's own self-signed CA signs (the windlass-ca Secret).
                new VolumeBuilder().withName(PLUGGED_CA_VOLUME).withNewSecret().withSecretName(MeshIdentity.PLUGGED_CA_SECRET)
                        .withOptional(true).endSecret().build());
    }

    private static HasMetadata service(MeshContext ctx, WorkloadSpec w) {
        return new ServiceBuilder()
                .withMetadata(ctx.meta(w.name(), w.namespace(), w.component()))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(new TreeMap<>(w.selector()))
                .withPorts(servicePort("tls-xds", XDS_TLS, XDS_TLS),
                        servicePort("http-monitoring", DISCOVERY_METRICS, DISCOVERY_METRICS),
                        servicePort("https-webhook", 443, WEBHOOK))
                .endSpec()
                .build();
    }

    private static Probe httpProbe(String path, int initialDelaySeconds, int failureThreshold) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString(DISCOVERY_METRICS)).endHttpGet()
                .withInitialDelaySeconds(initialDelaySeconds).withPeriodSeconds(3).withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold).build();
    }

    static ContainerPort port(String name, int port) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).withProtocol("TCP").build();
    }

    static ServicePort servicePort(String name, int port, int targetPort) {
        return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(targetPort))
                .withProtocol("TCP").build();
    }
}
