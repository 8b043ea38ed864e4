package dev.windlass.discovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * Sends java.util.logging (grpc-java's and Netty's log) through SLF4J, so that every line of the server's log has
 * one format, JSON when asked. Written here because jul-to-slf4j is not in the repository this build resolves
 * from; warnings and worse only, as before, since grpc's info lines are about its internals.
 */
final class JulBridge extends Handler {
    private JulBridge() {
    }

    static void install() {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.addHandler(new JulBridge());
        root.setLevel(Level.WARNING);
    }

    @Override
    public void publish(LogRecord record) {
        Logger logger = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
        String message = new java.util.logging.SimpleFormatter().formatMessage(record);
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            logger.error(message, record.getThrown());
        } else {
            logger.warn(message, record.getThrown());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
