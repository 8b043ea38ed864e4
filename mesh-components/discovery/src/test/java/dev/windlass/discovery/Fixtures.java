package dev.windlass.discovery;

import dev.windlass.discovery.istio.IstioTraffic;
import dev.windlass.discovery.kube.IstioObjects;
import dev.windlass.discovery.kube.KubeObjects;
import dev.windlass.discovery.model.IstioConfig;
import dev.windlass.discovery.model.EndpointSliceModel;
import dev.windlass.discovery.model.Locality;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.PodModel;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.traffic.istio.AuthorizationPolicySpec;
import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.GatewaySpec;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.PeerAuthenticationSpec;
import dev.windlass.traffic.istio.RequestAuthenticationSpec;
import dev.windlass.traffic.istio.ServiceEntrySpec;
import dev.windlass.traffic.istio.VirtualServiceSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test registries from YAML under src/test/resources/fixtures, through the same conversion as the informers. */
public final class Fixtures {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private Fixtures() {
    }

    public static MeshSnapshot snapshot(String name, MeshSettings settings) {
        return registry(name).snapshot(settings);
    }

    /**
     * A registry as model lists, so that a test can change one object and take a new snapshot; and the Istio
     * resources, converted as the informers convert them (root namespace windlass-system).
     */
    public record Registry(List<ServiceModel> services, List<EndpointSliceModel> slices, List<PodModel> pods,
                           List<IstioObjects.Converted> istio, Map<String, Locality> nodes) {
        public Registry(List<ServiceModel> services, List<EndpointSliceModel> slices, List<PodModel> pods,
                        List<IstioObjects.Converted> istio) {
            this(services, slices, pods, istio, Map.of());
        }

        public MeshSnapshot snapshot(MeshSettings settings) {
            IstioConfig config = istioConfig();
            return MeshSnapshot.of(settings, services, slices, pods, config, IstioTraffic.build(config, settings.clusterDomain()))
                    .withNodes(nodes);
        }

        /** The same registry with {@code slice} replacing the slice of the same name. */
        public Registry withSlice(EndpointSliceModel slice) {
            List<EndpointSliceModel> changed = new ArrayList<>(slices.stream().filter(s -> !s.name().equals(slice.name())).toList());
            changed.add(slice);
            return new Registry(services, changed, pods, istio, nodes);
        }

        @SuppressWarnings("unchecked")
        private IstioConfig istioConfig() {
            List<IstioResource<VirtualServiceSpec>> vs = new ArrayList<>();
            List<IstioResource<DestinationRuleSpec>> dr = new ArrayList<>();
            List<IstioResource<ServiceEntrySpec>> se = new ArrayList<>();
            List<IstioResource<GatewaySpec>> gw = new ArrayList<>();
            List<IstioResource<PeerAuthenticationSpec>> pa = new ArrayList<>();
            List<IstioResource<AuthorizationPolicySpec>> ap = new ArrayList<>();
            List<IstioResource<RequestAuthenticationSpec>> ra = new ArrayList<>();
            List<IstioConfig.Rejected> rejected = new ArrayList<>();
            for (IstioObjects.Converted converted : istio) {
                switch (converted) {
                    case IstioObjects.Usable u when u.resource().kind() == IstioKind.VIRTUAL_SERVICE ->
                            vs.add((IstioResource<VirtualServiceSpec>) u.resource());
                    case IstioObjects.Usable u when u.resource().kind() == IstioKind.SERVICE_ENTRY ->
                            se.add((IstioResource<ServiceEntrySpec>) u.resource());
                    case IstioObjects.Usable u when u.resource().kind() == IstioKind.GATEWAY ->
                            gw.add((IstioResource<GatewaySpec>) u.resource());
                    case IstioObjects.Usable u when u.resource().kind() == IstioKind.PEER_AUTHENTICATION ->
                            pa.add((IstioResource<PeerAuthenticationSpec>) u.resource());
                    case IstioObjects.Usable u when u.resource().kind() == IstioKind.AUTHORIZATION_POLICY ->
                            ap.add((IstioResource<AuthorizationPolicySpec>) u.resource());
                    case IstioObjects.Usable u when u.resource().kind() == IstioKind.REQUEST_AUTHENTICATION ->
                            ra.add((IstioResource<RequestAuthenticationSpec>) u.resource());
                    case IstioObjects.Usable u -> dr.add((IstioResource<DestinationRuleSpec>) u.resource());
                    case IstioObjects.Unusable u -> rejected.add(u.rejected());
                }
            }
            return new IstioConfig(vs, dr, se, gw, pa, ap, ra, rejected, "windlass-system");
        }
    }

    /**
     * The snapshot of fixture {@code name} with these Istio objects of one kind added, each written as a flow map
     * {@code {metadata: {...}, spec: {...}}}; each must be valid.
     */
    public static MeshSnapshot snapshotWith(String name, String apiVersion, String kind, String... objects) {
        return snapshotWith(name, java.util.Arrays.stream(objects).map(o -> new IstioObject(apiVersion, kind, o)).toList());
    }

    /** An Istio object of a test, written as flow YAML: {@code {metadata: {...}, spec: {...}}}. */
    public record IstioObject(String apiVersion, String kind, String object) {
    }

    /** The fixture with Istio objects of several kinds added. */
    public static MeshSnapshot snapshotWith(String name, List<IstioObject> objects) {
        Registry registry = registry(name);
        List<IstioObjects.Converted> istio = new ArrayList<>(registry.istio());
        for (IstioObject added : objects) {
            String apiVersion = added.apiVersion();
            String kind = added.kind();
            String object = added.object();
            GenericKubernetesResource resource = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                    "apiVersion: " + apiVersion + "\nkind: " + kind + "\n" + object.substring(1, object.length() - 1)
                            .replaceFirst(", spec: ", "\nspec: "), GenericKubernetesResource.class);
            IstioObjects.Converted converted = IstioObjects.convert(IstioKind.ofKind(kind).orElseThrow(), resource);
            if (!(converted instanceof IstioObjects.Usable)) {
                throw new IllegalArgumentException(kind + " refused: " + object);
            }
            istio.add(converted);
        }
        return new Registry(registry.services(), registry.slices(), registry.pods(), istio, registry.nodes())
                .snapshot(MeshSettings.DEFAULT);
    }

    public static Registry registry(String name) {
        List<ServiceModel> services = new ArrayList<>();
        List<EndpointSliceModel> slices = new ArrayList<>();
        List<PodModel> pods = new ArrayList<>();
        List<IstioObjects.Converted> istio = new ArrayList<>();
        Map<String, Locality> nodes = new TreeMap<>();
        for (HasMetadata object : objects(name)) {
            switch (object) {
                case Service s -> KubeObjects.service(s).ifPresent(services::add);
                case EndpointSlice s -> KubeObjects.slice(s).ifPresent(slices::add);
                case Pod p -> pods.add(KubeObjects.pod(p));
                case Node n -> nodes.put(KubeObjects.node(n).getKey(), KubeObjects.node(n).getValue());
                case GenericKubernetesResource r when IstioKind.ofKind(r.getKind()).isPresent() ->
                        istio.add(IstioObjects.convert(IstioKind.ofKind(r.getKind()).orElseThrow(), r));
                default -> throw new IllegalArgumentException(name + ": unexpected " + object.getKind());
            }
        }
        return new Registry(services, slices, pods, istio, nodes);
    }

    public static List<HasMetadata> objects(String name) {
        String text = resource("fixtures/" + name + ".yaml");
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : text.split("(?m)^---$")) {
            if (doc.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#"))) {
                objects.add(YAML.unmarshal(doc, HasMetadata.class));
            }
        }
        return objects;
    }

    public static String resource(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
