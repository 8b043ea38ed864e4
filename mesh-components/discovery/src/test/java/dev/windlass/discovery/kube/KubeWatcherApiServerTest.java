package dev.windlass.discovery.kube;

import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.AdsClient;
import dev.windlass.discovery.DiscoveryConfig;
import dev.windlass.discovery.DiscoveryServer;
import dev.windlass.discovery.Responses;
import dev.windlass.discovery.security.JwksResolver;
import dev.windlass.discovery.security.LoopbackIssuer;
import dev.windlass.discovery.xds.XdsType;
import dev.windlass.testsupport.ApiServer;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tier 2: the informers against a real kube-apiserver and etcd (no controllers, so the test writes the
 * EndpointSlices and pod IPs itself, as the controllers and the kubelet would). A real ADS client follows the changes.
 */
class KubeWatcherApiServerTest {
    private KubernetesClient kube;
    private String ns;
    private DiscoveryServer server;
    private AdsClient client;

    @BeforeEach
    void start() throws Exception {
        kube = ApiServer.client();
        ApiServer.installIstioCrds(); // before the server starts: it watches networking.istio.io only when served
        ns = "disc-" + UUID.randomUUID().toString().substring(0, 8);
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        // The mesh config lives in the discovery server's own namespace, here the test's.
        kube.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("windlass").endMetadata()
                .withData(Map.of("mesh.yaml", "meshConfig:\n  outboundTrafficPolicy:\n    mode: REGISTRY_ONLY\n")).build()).create();
        DiscoveryConfig config = new DiscoveryConfig("127.0.0.1", 0, 0, 0, ns, "", Duration.ofMillis(50), Duration.ofSeconds(2));
        server = DiscoveryServer.start(config, new KubeWatcher(kube, ns, KubeWatcher.meshConfigName("")));
        awaitReady();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (kube != null && ns != null) {
            kube.namespaces().withName(ns).delete();
        }
    }

    @Test
    void clustersAndEndpointsFollowServicesAndSlices() throws Exception {
        String cluster = "outbound|80||web." + ns + ".svc.cluster.local";
        client = new AdsClient(server.xdsPort(), "sidecar~10.1.1.1~client." + ns + "~" + ns + ".svc.cluster.local");
        client.subscribe(XdsType.CDS, List.of());
        client.awaitResponse(XdsType.CDS, List.of(), r -> !Responses.names(r).contains(cluster));

        Service web = kube.services().inNamespace(ns).resource(webService()).create();
        client.awaitResponse(XdsType.CDS, List.of(), r -> Responses.names(r).contains(cluster));
        client.subscribe(XdsType.EDS, List.of(cluster));
        client.awaitResponse(XdsType.EDS, List.of(cluster), r -> Responses.endpoints(r, null).isEmpty());

        kube.discovery().v1().endpointSlices().inNamespace(ns).resource(slice(List.of("10.1.1.5"))).create();
        client.awaitResponse(XdsType.EDS, List.of(cluster), r -> Responses.endpoints(r, null).equals(List.of("10.1.1.5:8080")));

        kube.discovery().v1().endpointSlices().inNamespace(ns).resource(slice(List.of("10.1.1.5", "10.1.1.6"))).update();
        client.awaitResponse(XdsType.EDS, List.of(cluster), r -> Responses.endpoints(r, null).equals(List.of("10.1.1.5:8080", "10.1.1.6:8080")));
        assertThat(server.metrics().exposition()).containsPattern("windlass_discovery_push_triggers_total\\{kind=\"endpoints\"} [1-9]");

        kube.services().inNamespace(ns).resource(web).delete();
        kube.discovery().v1().endpointSlices().inNamespace(ns).withName("web-1").delete();
        client.awaitResponse(XdsType.CDS, List.of(), r -> !Responses.names(r).contains(cluster));
    }

    /** An endpoint's EDS locality is its node's topology labels, followed as they change; the pod label overrides. */
    @Test
    void anEndpointsLocalityFollowsItsNodesLabelsAndThePodLabelOverridesThem() throws Exception {
        String node = ns + "-node";
        kube.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(node)
                .withLabels(Map.of("topology.kubernetes.io/region", "r1", "topology.kubernetes.io/zone", "z1"))
                .endMetadata().build()).create();
        try {
            kube.services().inNamespace(ns).resource(webService()).create();
            kube.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("web-0")
                    .withLabels(Map.of("app", "web")).endMetadata().withNewSpec().withNodeName(node)
                    .addNewContainer().withName("web").withImage("web").endContainer().endSpec().build()).create();
            EndpointSlice slice = slice(List.of("10.1.1.5"));
            slice.getEndpoints().getFirst().setTargetRef(new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
                    .withKind("Pod").withName("web-0").withNamespace(ns).build());
            kube.discovery().v1().endpointSlices().inNamespace(ns).resource(slice).create();
            String cluster = "outbound|80||web." + ns + ".svc.cluster.local";
            client = new AdsClient(server.xdsPort(), "sidecar~10.1.1.1~client." + ns + "~" + ns + ".svc.cluster.local");
            client.subscribe(XdsType.EDS, List.of(cluster));
            client.awaitResponse(XdsType.EDS, List.of(cluster), r -> locality(r).equals("r1/z1/"));

            kube.nodes().withName(node).edit(n -> {
                n.getMetadata().getLabels().put("topology.istio.io/subzone", "s1");
                return n;
            });
            client.awaitResponse(XdsType.EDS, List.of(cluster), r -> locality(r).equals("r1/z1/s1"));

            kube.pods().inNamespace(ns).withName("web-0").edit(p -> {
                p.getMetadata().getLabels().put("istio-locality", "r2.z2");
                return p;
            });
            client.awaitResponse(XdsType.EDS, List.of(cluster), r -> locality(r).equals("r2/z2/"));
        } finally {
            kube.nodes().withName(node).delete();
        }
    }

    private static String locality(DiscoveryResponse eds) {
        return eds.getResourcesList().stream()
                .map(a -> Responses.unpack(a, io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class))
                .flatMap(c -> c.getEndpointsList().stream()).map(e -> e.getLocality().getRegion() + "/"
                        + e.getLocality().getZone() + "/" + e.getLocality().getSubZone()).findFirst().orElse("");
    }

    @Test
    void aProxysPodIsFoundThroughThePodInformerAndTheMeshConfigApplies() throws Exception {
        webPod();

        client = new AdsClient(server.xdsPort(), "sidecar~10.1.1.5~web-0." + ns + "~" + ns + ".svc.cluster.local");
        client.subscribe(XdsType.LDS, List.of());
        DiscoveryResponse lds = client.awaitResponse(XdsType.LDS, List.of(), r -> inboundPorts(r).contains(8080));

        Listener outbound = Responses.listener(lds, "virtualOutbound");
        assertThat(outbound.getDefaultFilterChain().getFilters(0).getTypedConfig().toString()).contains("BlackHoleCluster");
    }

    @Test
    void aServiceEntryBecomesClustersListenersAndRoutesAndLeavesWithIt() throws Exception {
        ApiServer.installIstioCrds();
        server.close();
        // Restarted so that its informers find networking.istio.io, which this apiserver may only serve from now on.
        DiscoveryConfig config = new DiscoveryConfig("127.0.0.1", 0, 0, 0, ns, "", Duration.ofMillis(50), Duration.ofSeconds(2));
        server = DiscoveryServer.start(config, new KubeWatcher(kube, ns, KubeWatcher.meshConfigName("")));
        awaitReady();
        client = new AdsClient(server.xdsPort(), "sidecar~10.1.1.1~client." + ns + "~" + ns + ".svc.cluster.local");
        client.subscribe(XdsType.CDS, List.of());
        String cluster = "outbound|8443||api.example.com";
        client.awaitResponse(XdsType.CDS, List.of(), r -> !Responses.names(r).contains(cluster));

        var entries = kube.genericKubernetesResources("networking.istio.io/v1", "ServiceEntry").inNamespace(ns);
        entries.resource(Serialization.unmarshal("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: api}
                spec:
                  hosts: [api.example.com]
                  ports: [{number: 8443, name: tls, protocol: TLS}]
                  resolution: DNS
                """, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)).create();
        DiscoveryResponse cds = client.awaitResponse(XdsType.CDS, List.of(), r -> Responses.names(r).contains(cluster));
        assertThat(cds.getResourcesList().stream().map(a -> a.toString()).filter(a -> a.contains(cluster)).findFirst().orElseThrow())
                .contains("api.example.com");
        client.subscribe(XdsType.LDS, List.of());
        DiscoveryResponse lds = client.awaitResponse(XdsType.LDS, List.of(), r -> Responses.names(r).contains("0.0.0.0_8443"));
        assertThat(Responses.listener(lds, "0.0.0.0_8443").getFilterChains(0).getFilterChainMatch().getServerNamesList())
                .containsExactly("api.example.com");

        entries.withName("api").delete();
        client.awaitResponse(XdsType.CDS, List.of(), r -> !Responses.names(r).contains(cluster));
    }

    /** The Gateway informer: a gateway pod gets the listeners and routes of the Gateways that select it, and loses them. */
    @Test
    void aGatewayPodFollowsTheGatewaysThatSelectIt() throws Exception {
        kube.services().inNamespace(ns).resource(webService()).create();
        Pod pod = kube.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("ingress-0")
                .withLabels(Map.of("istio", "ingressgateway")).endMetadata()
                .withNewSpec().addNewContainer().withName("windlass-proxy").withImage("proxy").endContainer().endSpec().build()).create();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPodIP("10.1.1.9").build());
        kube.pods().inNamespace(ns).resource(pod).updateStatus();
        var gateways = kube.genericKubernetesResources("networking.istio.io/v1", "Gateway").inNamespace(ns);
        gateways.resource(istio("Gateway", "app-gateway", """
                {"selector": {"istio": "ingressgateway"}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}""")).create();
        kube.genericKubernetesResources("networking.istio.io/v1", "VirtualService").inNamespace(ns).resource(istio("VirtualService", "web", """
                {"hosts": ["*"], "gateways": ["app-gateway"], "http": [{"route": [{"destination": {"host": "web"}}]}]}""")).create();

        client = new AdsClient(server.xdsPort(), "router~10.1.1.9~ingress-0." + ns + "~" + ns + ".svc.cluster.local");
        client.subscribe(XdsType.LDS, List.of());
        client.awaitResponse(XdsType.LDS, List.of(), r -> Responses.names(r).contains("0.0.0.0_80"));
        client.subscribe(XdsType.RDS, List.of("http.80"));
        // The VirtualService may reach the server's cache after the Gateway: a route to the blackhole until then.
        String cluster = "outbound|80||web." + ns + ".svc.cluster.local";
        DiscoveryResponse rds = client.awaitResponse(XdsType.RDS, List.of("http.80"),
                r -> !r.getResourcesList().isEmpty() && r.getResources(0).toString().contains(cluster));
        assertThat(rds.getResources(0).toString()).contains(cluster);

        gateways.withName("app-gateway").delete();
        client.awaitResponse(XdsType.LDS, List.of(), r -> !Responses.names(r).contains("0.0.0.0_80"));
    }

    /**
     * Tier 2 of jwksUri: a RequestAuthentication naming an issuer's JWKS on loopback; the discovery server fetches it
     * and the sidecar's JWT filter gets the keys inline, then the issuer's new keys at the next refresh.
     */
    @Test
    void aRequestAuthenticationsJwksUriReachesTheProxyAndFollowsTheIssuersKeys() throws Exception {
        PublicKey first = LoopbackIssuer.rsaKey();
        PublicKey second = LoopbackIssuer.rsaKey();
        try (LoopbackIssuer issuer = new LoopbackIssuer(LoopbackIssuer.jwks(List.of(first)))) {
            server.close();
            DiscoveryConfig config = new DiscoveryConfig("127.0.0.1", 0, 0, 0, ns, "", Duration.ofMillis(50), Duration.ofSeconds(2));
            JwksResolver jwks = new JwksResolver(new JwksResolver.Timing(Duration.ofMillis(500), Duration.ofMillis(200),
                    Duration.ofMinutes(5)), Clock.systemUTC());
            server = DiscoveryServer.start(config, new KubeWatcher(kube, ns, KubeWatcher.meshConfigName(""), jwks));
            awaitReady();
            webPod();
            kube.genericKubernetesResources("security.istio.io/v1", "RequestAuthentication").inNamespace(ns)
                    .resource(istio("security.istio.io/v1", "RequestAuthentication", "jwt", "{\"selector\": {\"matchLabels\": "
                            + "{\"app\": \"web\"}}, \"jwtRules\": [{\"issuer\": \"testing@secure.istio.io\", \"jwksUri\": \""
                            + issuer.jwksUri() + "\"}]}")).create();

            client = new AdsClient(server.xdsPort(), "sidecar~10.1.1.5~web-0." + ns + "~" + ns + ".svc.cluster.local");
            client.subscribe(XdsType.LDS, List.of());
            client.awaitResponse(XdsType.LDS, List.of(), r -> inlineJwks(r).contains(LoopbackIssuer.modulus(first)));
            issuer.serve(LoopbackIssuer.jwks(List.of(second)));
            DiscoveryResponse rotated = client.awaitResponse(XdsType.LDS, List.of(), r -> inlineJwks(r).contains(LoopbackIssuer.modulus(second)));
            assertThat(inlineJwks(rotated)).doesNotContain(LoopbackIssuer.modulus(first));
        }
    }

    /** The keys inline in the JWT filter of the sidecar's inbound HTTP chains; empty without one. */
    private static String inlineJwks(DiscoveryResponse lds) {
        List<FilterChain> chains = lds.getResourcesList().stream().map(a -> Responses.unpack(a, Listener.class))
                .filter(l -> l.getName().equals("virtualInbound")).flatMap(l -> l.getFilterChainsList().stream()).toList();
        for (FilterChain chain : chains) {
            var terminal = chain.getFilters(chain.getFiltersCount() - 1).getTypedConfig();
            if (!terminal.is(HttpConnectionManager.class)) {
                continue;
            }
            for (var filter : Responses.unpack(terminal, HttpConnectionManager.class).getHttpFiltersList()) {
                if (filter.getName().equals(IstioNames.JWT_AUTHN_FILTER)) {
                    return Responses.unpack(filter.getTypedConfig(), JwtAuthentication.class)
                            .getProvidersOrThrow("origins-0").getLocalJwks().getInlineString();
                }
            }
        }
        return "";
    }

    private static io.fabric8.kubernetes.api.model.GenericKubernetesResource istio(String kind, String name, String spec) throws Exception {
        return istio("networking.istio.io/v1", kind, name, spec);
    }

    private static io.fabric8.kubernetes.api.model.GenericKubernetesResource istio(String apiVersion, String kind, String name,
                                                                                  String spec) throws Exception {
        var resource = new io.fabric8.kubernetes.api.model.GenericKubernetesResource();
        resource.setApiVersion(apiVersion);
        resource.setKind(kind);
        resource.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        resource.setAdditionalProperty("spec", new com.fasterxml.jackson.databind.ObjectMapper().readValue(spec, Map.class));
        return resource;
    }

    /** The web Service and its pod web-0 (app: web, 10.1.1.5, port http 8080). */
    private void webPod() {
        kube.services().inNamespace(ns).resource(webService()).create();
        Pod pod = kube.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("web-0")
                .withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("web")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec().build()).create();
        // No kubelet here: set the pod IP as the kubelet would, through the status subresource.
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPodIP("10.1.1.5").build());
        kube.pods().inNamespace(ns).resource(pod).updateStatus();
    }

    private Service webService() {
        return new ServiceBuilder().withNewMetadata().withName("web").withNamespace(ns).endMetadata()
                .withNewSpec().withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .endSpec().build();
    }

    private EndpointSlice slice(List<String> addresses) {
        EndpointSliceBuilder slice = new EndpointSliceBuilder().withNewMetadata().withName("web-1").withNamespace(ns)
                .withLabels(Map.of(KubeObjects.SERVICE_NAME_LABEL, "web")).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
        addresses.forEach(a -> slice.addNewEndpoint().withAddresses(a).withNewConditions().withReady(true).endConditions().endEndpoint());
        return slice.build();
    }

    private void awaitReady() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.debugPort() + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("discovery server not ready within 30 s");
    }

    private static List<Integer> inboundPorts(DiscoveryResponse lds) {
        return Responses.listener(lds, "virtualInbound").getFilterChainsList().stream()
                .map(c -> c.getFilterChainMatch().getDestinationPort().getValue()).toList();
    }
}
