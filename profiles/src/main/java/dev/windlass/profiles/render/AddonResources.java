package dev.windlass.profiles.render;

import dev.windlass.api.v1alpha1.Addons;
import dev.windlass.api.v1alpha1.K8sSettings;
import dev.windlass.traffic.istio.IstioKind;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The observability add-ons (Prometheus, Grafana, Jaeger, Kiali): small single-replica installs for demos
 * and evaluation. Images are upstream releases named by the version catalog.
 */
final class AddonResources {
    private static final List<String> READ = List.of("get", "list", "watch");

    private record Addon(String name, String image, int port, List<String> args, List<PolicyRule> clusterRules,
            Optional<HasMetadata> config, List<VolumeMount> mounts) {
    }

    private AddonResources() {
    }

    static List<HasMetadata> render(MeshContext ctx) {
        Addons addons = ctx.spec().addons();
        var images = ctx.version().images();
        List<HasMetadata> objects = new ArrayList<>();
        if (enabled(addons.prometheus())) {
            objects.addAll(addon(ctx, new Addon("prometheus", images.prometheus(), 9090,
                    List.of("--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/data"),
                    List.of(DiscoveryRbac.rule("", List.of("nodes", "services", "endpoints", "pods"), READ),
                            DiscoveryRbac.rule("discovery.k8s.io", List.of("endpointslices"), READ)),
                    Optional.of(prometheusConfig(ctx)), List.of(mount("config", "/etc/prometheus"), mount("data", "/data")))));
        }
        if (enabled(addons.grafana())) {
            objects.addAll(addon(ctx, new Addon("grafana", images.grafana(), 3000, List.of(), List.of(),
                    Optional.of(grafanaDatasource(ctx)),
                    List.of(mount("config", "/etc/grafana/provisioning/datasources"), mount("data", "/var/lib/grafana")))));
        }
        if (enabled(addons.tracing())) {
            objects.addAll(addon(ctx, new Addon("jaeger", images.tracing(), 16686, List.of(), List.of(), Optional.empty(),
                    List.of(mount("data", "/tmp")))));
        }
        if (enabled(addons.kiali())) {
            objects.addAll(addon(ctx, new Addon("kiali", images.kiali(), 20001, List.of(),
                    List.of(DiscoveryRbac.rule("", List.of("namespaces", "pods", "services", "endpoints", "configmaps"), READ),
                            DiscoveryRbac.rule("apps", List.of("deployments", "replicasets", "statefulsets"), READ),
                            DiscoveryRbac.rule(IstioKind.ApiGroup.NETWORKING.groupName(), IstioKind.ApiGroup.NETWORKING.plurals(), READ),
                            DiscoveryRbac.rule(IstioKind.ApiGroup.SECURITY.groupName(), IstioKind.ApiGroup.SECURITY.plurals(), READ)),
                    Optional.empty(), List.of(mount("data", "/tmp")))));
        }
        return objects;
    }

    private static List<HasMetadata> addon(MeshContext ctx, Addon addon) {
        String ns = ctx.namespace();
        String component = "addon-" + addon.name();
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(new ServiceAccountBuilder().withMetadata(ctx.meta(addon.name(), ns, component)).build());
        if (!addon.clusterRules().isEmpty()) {
            String clusterName = ctx.clusterScoped("windlass-" + addon.name());
            objects.add(new ClusterRoleBuilder().withMetadata(ctx.meta(clusterName, null, component)).withRules(addon.clusterRules()).build());
            objects.add(new ClusterRoleBindingBuilder().withMetadata(ctx.meta(clusterName, null, component))
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterName)
                    .addNewSubject().withKind("ServiceAccount").withName(addon.name()).withNamespace(ns).endSubject().build());
        }
        addon.config().ifPresent(objects::add);
        Map<String, String> selector = Map.of("app", addon.name());
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build());
        addon.config().ifPresent(cm -> volumes.add(new VolumeBuilder().withName("config")
                .withNewConfigMap().withName(cm.getMetadata().getName()).endConfigMap().build()));
        K8sSettings k8s = new K8sSettings(1, new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("64Mi"))).build(),
                null, null, null, null, null, null, null, null, null, null);
        objects.add(Workloads.deployment(ctx, new WorkloadSpec(addon.name(), ns, component, selector, Map.of(), k8s,
                new ContainerBuilder().withName(addon.name()).withImage(addon.image())
                        .withImagePullPolicy(ctx.spec().values().global().imagePullPolicy().name())
                        .withArgs(addon.args()).withPorts(DiscoveryServer.port("http", addon.port()))
                        .withVolumeMounts(addon.mounts()).withSecurityContext(PodSecurity.container()).build(),
                volumes)));
        objects.add(new ServiceBuilder().withMetadata(ctx.meta(addon.name(), ns, component))
                .withNewSpec().withSelector(selector)
                .withPorts(DiscoveryServer.servicePort("http", addon.port(), addon.port())).endSpec().build());
        return objects;
    }

    private static HasMetadata prometheusConfig(MeshContext ctx) {
        String config = """
                global:
                  scrape_interval: 15s
                scrape_configs:
                - job_name: windlass-discovery
                  kubernetes_sd_configs: [{role: endpoints, namespaces: {names: [%s]}}]
                  relabel_configs:
                  - {source_labels: [__meta_kubernetes_endpoint_port_name], regex: http-monitoring, action: keep}
                - job_name: windlass-proxies
                  kubernetes_sd_configs: [{role: pod}]
                  relabel_configs:
                  - {source_labels: [__meta_kubernetes_pod_container_port_name], regex: http-envoy-prom, action: keep}
                """.formatted(ctx.namespace());
        return new ConfigMapBuilder().withMetadata(ctx.meta("prometheus", ctx.namespace(), "addon-prometheus"))
                .withData(Map.of("prometheus.yml", config)).build();
    }

    private static HasMetadata grafanaDatasource(MeshContext ctx) {
        String datasource = """
                apiVersion: 1
                datasources:
                - {name: Prometheus, type: prometheus, access: proxy, isDefault: true, url: "http://prometheus.%s:9090"}
                """.formatted(ctx.namespace());
        return new ConfigMapBuilder().withMetadata(ctx.meta("grafana", ctx.namespace(), "addon-grafana"))
                .withData(Map.of("datasources.yaml", datasource)).build();
    }

    private static VolumeMount mount(String volume, String path) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
    }

    private static boolean enabled(Addons.Addon addon) {
        return addon != null && Boolean.TRUE.equals(addon.enabled());
    }
}
