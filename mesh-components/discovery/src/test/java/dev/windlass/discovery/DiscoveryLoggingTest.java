package dev.windlass.discovery;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** LOG_AS_JSON and LOG_LEVEL, as the rendered Deployment sets them, choose the server's log format and level. */
class DiscoveryLoggingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void logAsJsonGivesOneJsonObjectPerLine() throws Exception {
        LoggerContext context = new LoggerContext();
        DiscoveryLogging.apply(context, Map.of("LOG_AS_JSON", "true", "LOG_LEVEL", "warning"));
        ConsoleAppender<ILoggingEvent> console = console(context);
        assertThat(console.getEncoder()).isInstanceOf(JsonEncoder.class);
        assertThat(context.getLogger("root").getLevel()).isEqualTo(Level.WARN);

        LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.windlass.Test"), Level.WARN, "push to {} \"failed\"",
                null, new Object[]{"proxy-1"});
        String line = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("WARN");
        assertThat(json.path("loggerName").asText()).isEqualTo("dev.windlass.Test");
        assertThat(json.path("formattedMessage").asText()).isEqualTo("push to proxy-1 \"failed\"");
    }

    @Test
    void withoutItTheLogIsTextAtInfo() {
        LoggerContext context = new LoggerContext();
        DiscoveryLogging.apply(context, Map.of());
        assertThat(console(context).getEncoder()).isInstanceOf(PatternLayoutEncoder.class);
        assertThat(context.getLogger("root").getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.fabric8").getLevel()).isEqualTo(Level.WARN);
    }

    @SuppressWarnings("unchecked")
    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context) {
        return (ConsoleAppender<ILoggingEvent>) context.getLogger("root").getAppender("console");
    }
}
