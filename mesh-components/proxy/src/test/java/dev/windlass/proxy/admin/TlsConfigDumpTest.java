package dev.windlass.proxy.admin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Message;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.OutlierDetectors;
import dev.windlass.proxy.xds.ResourceType;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TLS gateway's listener (a DownstreamTlsContext on its chain, tls_inspector before it) is dumped whole, typed
 * configs included, as the discovery server's /debug/config_dump prints it: otherwise {@code windlass proxy-status
 * POD} would report the listener as different although the proxy holds exactly what was sent.
 */
class TlsConfigDumpTest {
    @Test
    void aTlsListenerIsDumpedWithItsTypedConfigs() {
        Listener listener = Listener.newBuilder().setName("0.0.0.0_443")
                .addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.tls_inspector")
                        .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())))
                .addFilterChains(FilterChain.newBuilder().setTransportSocket(TransportSocket.newBuilder()
                        .setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(DownstreamTlsContext.newBuilder()
                                .setRequireClientCertificate(BoolValue.of(true))
                                .setCommonTlsContext(CommonTlsContext.newBuilder().addTlsCertificateSdsSecretConfigs(
                                        SdsSecretConfig.newBuilder().setName("kubernetes://bookinfo-credential")))
                                .build()))))
                .build();
        Map<String, Map<String, Message>> raw = Map.of(ResourceType.LDS.typeUrl(), Map.of(listener.getName(), listener));
        ConfigSnapshot snapshot = new ConfigSnapshot(Map.of(), Map.of(), Map.of(), Map.of(), raw, Map.of(ResourceType.LDS.typeUrl(), "1"),
                new OutlierDetectors());

        JsonObject dumped = JsonParser.parseString(ConfigDump.json(snapshot, Bootstrap.getDefaultInstance())).getAsJsonObject()
                .getAsJsonArray("configs").get(1).getAsJsonObject().getAsJsonArray("dynamic_listeners").get(0).getAsJsonObject()
                .getAsJsonObject("active_state").getAsJsonObject("listener");

        assertThat(dumped.getAsJsonArray("listener_filters").get(0).getAsJsonObject().getAsJsonObject("typed_config")
                .get("@type").getAsString()).isEqualTo("type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector");
        JsonObject tls = dumped.getAsJsonArray("filter_chains").get(0).getAsJsonObject().getAsJsonObject("transport_socket")
                .getAsJsonObject("typed_config");
        assertThat(tls.get("@type").getAsString())
                .isEqualTo("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext");
        assertThat(tls.get("require_client_certificate").getAsBoolean()).isTrue();
        assertThat(tls.getAsJsonObject("common_tls_context").getAsJsonArray("tls_certificate_sds_secret_configs").get(0)
                .getAsJsonObject().get("name").getAsString()).isEqualTo("kubernetes://bookinfo-credential");
    }
}
