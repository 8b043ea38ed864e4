package dev.windlass.proxy.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import dev.windlass.proxy.tls.ClientTls;
import dev.windlass.proxy.tls.ServerTls;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract between the discovery server and the proxy: every resource of every golden translation the discovery
 * server's tests hold (mesh-components/discovery/src/test/resources/golden) is accepted by the proxy's translators,
 * so that no field the discovery server writes would be NACKed, and no refusal the proxy adds for a field it does not
 * implement breaks what the discovery server sends.
 */
class DiscoveryGoldensAcceptedTest {
    private static final Path GOLDENS = Path.of("../discovery/src/test/resources/golden");
    private static final TypeRegistry TYPES = TypeRegistry.newBuilder()
            .add(HttpConnectionManager.getDescriptor()).add(TcpProxy.getDescriptor()).add(Router.getDescriptor())
            .add(HttpProtocolOptions.getDescriptor()).add(OriginalDst.getDescriptor()).add(TlsInspector.getDescriptor())
            .add(HTTPFault.getDescriptor()).add(Cors.getDescriptor()).add(CorsPolicy.getDescriptor())
            .add(PreviousHostsPredicate.getDescriptor()).add(DownstreamTlsContext.getDescriptor())
            .add(UpstreamTlsContext.getDescriptor()).add(RawBuffer.getDescriptor())
            .build();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(TYPES);
    /**
     * The TLS settings are translated (and refused where unsupported) before they reach a binder; compiling them into
     * contexts needs the files and certificates of a running proxy, which other tests cover.
     */
    private static final TlsBinder SETTINGS_ONLY = new TlsBinder() {
        @Override
        public ServerTls bind(DownstreamTls settings) {
            return null;
        }

        @Override
        public ClientTls client(String where, UpstreamTls settings) {
            return null;
        }

        @Override
        public void retain(java.util.Set<ServerTls> inUse) {
        }
    };

    @Test
    void everyResourceOfEveryDiscoveryGoldenIsAccepted() throws Exception {
        List<Path> goldens;
        try (Stream<Path> files = Files.list(GOLDENS)) {
            goldens = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(goldens).as("the discovery server's goldens in " + GOLDENS.toAbsolutePath()).hasSizeGreaterThan(20);
        List<String> refused = new ArrayList<>();
        int resources = 0;
        for (Path golden : goldens) {
            JsonObject root = JsonParser.parseString(Files.readString(golden)).getAsJsonObject();
            for (JsonElement json : root.getAsJsonArray("clusters")) {
                resources += check(golden, json, refused, () -> ClusterTranslator.translate(parse(json, Cluster.newBuilder()), SETTINGS_ONLY));
            }
            for (JsonElement json : root.getAsJsonArray("endpoints")) {
                resources += check(golden, json, refused,
                        () -> EndpointTranslator.endpoints(parse(json, ClusterLoadAssignment.newBuilder())));
            }
            for (JsonElement json : root.getAsJsonArray("listeners")) {
                resources += check(golden, json, refused, () -> ListenerTranslator.translate(parse(json, Listener.newBuilder()), SETTINGS_ONLY));
            }
            for (JsonElement json : root.getAsJsonArray("routes")) {
                resources += check(golden, json, refused,
                        () -> RouteTranslator.translate(parse(json, RouteConfiguration.newBuilder())));
            }
        }
        assertThat(refused).as("resources the proxy refuses, of " + resources).isEmpty();
        assertThat(resources).isGreaterThan(200);
    }

    private interface Translation {
        Object run() throws Exception;
    }

    private static int check(Path golden, JsonElement json, List<String> refused, Translation translation) {
        try {
            translation.run();
        } catch (Exception e) {
            JsonObject resource = json.getAsJsonObject();
            JsonElement name = resource.has("name") ? resource.get("name") : resource.get("cluster_name");
            refused.add(golden.getFileName() + " " + name + ": " + e.getMessage());
        }
        return 1;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> T parse(JsonElement json, Message.Builder builder) throws IOException {
        PARSER.merge(json.toString(), builder);
        return (T) builder.build();
    }
}
