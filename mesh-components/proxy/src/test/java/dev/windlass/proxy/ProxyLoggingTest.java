package dev.windlass.proxy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.windlass.testsupport.ThisJvm;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LOG_AS_JSON and ACCESS_LOG_ENCODING, as the rendered containers set them, choose the formats of the proxy's logs. */
class ProxyLoggingTest {
    @Test
    void theLoggingSettingsComeFromTheEnvironment() {
        ProxyOptions.Logging logging = ProxyOptions.parse(Role.SIDECAR, new String[0], Map.of("LOG_AS_JSON", "true",
                "ACCESS_LOG_ENCODING", "JSON", "ACCESS_LOG_FILE", "/dev/stdout", "PROXY_LOG_LEVEL", "debug")).logging();
        assertThat(logging).isEqualTo(new ProxyOptions.Logging("debug", true, "/dev/stdout", ProxyOptions.AccessLogEncoding.JSON));
        assertThat(ProxyOptions.parse(Role.SIDECAR, new String[0], Map.of()).logging())
                .isEqualTo(new ProxyOptions.Logging("info", false, "", ProxyOptions.AccessLogEncoding.TEXT));
        assertThatThrownBy(() -> ProxyOptions.parse(Role.SIDECAR, new String[0], Map.of("ACCESS_LOG_ENCODING", "XML")))
                .hasMessage("ACCESS_LOG_ENCODING=XML: not TEXT or JSON");
    }

    @Test
    void jsonStringsAreQuotedSoThatAnyMessageStaysOneLine() {
        String quoted = JsonText.quote("a \"b\" \\ c\nd\u0001");
        assertThat(quoted).isEqualTo("\"a \\\"b\\\" \\\\ c\\nd\\u0001\"").doesNotContain("\n");
        assertThat(JsonParser.parseString(quoted).getAsString()).isEqualTo("a \"b\" \\ c\nd\u0001");
    }

    /** The real proxy process, with no discovery server to reach: every line of its own log is a JSON object. */
    @Test
    void theProxyProcessLogsJsonLines() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ThisJvm.command(Main.class.getName(), "sidecar")).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(Map.of("LOG_AS_JSON", "true", "PROXY_LOG_LEVEL", "info", "DISCOVERY_ADDRESS", "127.0.0.1:1",
                "ADMIN_PORT", "0", "OUTBOUND_PORT", "0", "INBOUND_PORT", "0", "MERGED_METRICS_PORT", "0", "READINESS_PORT", "0",
                "PROMETHEUS_PORT", "0"));
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null && lines.size() < 2; line = err.readLine()) {
                lines.add(line);
            }
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            JsonObject json = JsonParser.parseString(line).getAsJsonObject();
            assertThat(json.keySet()).as(line).containsExactly("time", "level", "scope", "msg");
        }
        assertThat(lines.getFirst()).contains("started");
    }
}
