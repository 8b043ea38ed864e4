package dev.windlass.proxy.admin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.windlass.proxy.Role;
import dev.windlass.proxy.testing.ProxyHarness;
import dev.windlass.proxy.testing.TestAdsServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A running proxy's /config_dump opens with its bootstrap, as Envoy's: the node it presents and its ADS server. */
class BootstrapDumpTest {
    @Test
    void theConfigDumpOpensWithTheBootstrap() throws Exception {
        try (TestAdsServer ads = new TestAdsServer(); ProxyHarness sidecar = new ProxyHarness(Role.SIDECAR, ads.address(), Map.of())) {
            JsonObject first = JsonParser.parseString(sidecar.admin("/config_dump")).getAsJsonObject()
                    .getAsJsonArray("configs").get(0).getAsJsonObject();
            assertThat(first.get("@type").getAsString()).isEqualTo("type.googleapis.com/envoy.admin.v3.BootstrapConfigDump");
            JsonObject bootstrap = first.getAsJsonObject("bootstrap");
            assertThat(bootstrap.getAsJsonObject("node").get("id").getAsString())
                    .isEqualTo("sidecar~127.0.0.1~client-5d8f7c9b4d-x7k2p.test~test.svc.cluster.local");
            assertThat(bootstrap.getAsJsonObject("node").getAsJsonObject("metadata").get("NAMESPACE").getAsString()).isEqualTo("test");
            JsonObject xds = bootstrap.getAsJsonObject("static_resources").getAsJsonArray("clusters").get(0).getAsJsonObject();
            assertThat(xds.get("name").getAsString()).isEqualTo("xds-grpc");
            JsonObject socket = xds.getAsJsonObject("load_assignment").getAsJsonArray("endpoints").get(0).getAsJsonObject()
                    .getAsJsonArray("lb_endpoints").get(0).getAsJsonObject().getAsJsonObject("endpoint").getAsJsonObject("address")
                    .getAsJsonObject("socket_address");
            assertThat(socket.get("address").getAsString() + ":" + socket.get("port_value").getAsInt()).isEqualTo(ads.address());
            assertThat(bootstrap.getAsJsonObject("dynamic_resources").getAsJsonObject("ads_config").get("api_type").getAsString())
                    .isEqualTo("GRPC");
        }
    }
}
