package dev.windlass.discovery;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.windlass.contract.EnvVars;

import java.util.Locale;
import java.util.Map;

/**
 * The discovery server's log, configured from its environment before the first logger (logback finds this class
 * through META-INF/services, so no XML is parsed at start): LOG_LEVEL (debug, info, warning, error) and
 * LOG_AS_JSON (values.global.logAsJson), which gives one JSON object per line from logback's own JsonEncoder.
 * The log goes to standard error, as before.
 */
public final class DiscoveryLogging extends ContextAwareBase implements Configurator {
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%thread] %level %logger - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        apply(context, System.getenv());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Replaces whatever {@code context} was configured with by what {@code env} asks for. */
    static void apply(LoggerContext context, Map<String, String> env) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder(context, Boolean.parseBoolean(env.get(EnvVars.LOG_AS_JSON))));
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(console);
        root.setLevel(level(env.get(EnvVars.LOG_LEVEL)));
        // fabric8 is chatty at info about things an operator of the mesh does not act on.
        context.getLogger("io.fabric8").setLevel(Level.WARN);
        JulBridge.install();
    }

    static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
        if (json) {
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            // The event itself: time, level, thread, logger, the message with its arguments filled in, any throwable.
            encoder.setWithSequenceNumber(false);
            encoder.setWithNanoseconds(false);
            encoder.setWithContext(false);
            encoder.setWithMDC(false);
            encoder.setWithMessage(false);
            encoder.setWithArguments(false);
            encoder.setWithFormattedMessage(true);
            encoder.start();
            return encoder;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        return encoder;
    }

    /** The operator's names (Istio's: warning) and logback's alike; anything else is info. */
    static Level level(String name) {
        String level = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return Level.toLevel("warning".equals(level) ? "warn" : level, Level.INFO);
    }
}
