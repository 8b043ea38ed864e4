package dev.windlass.proxy.admin;

import dev.windlass.proxy.Log;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;

/**
 * The admin's {@code /logging}, as Envoy's: GET shows the proxy's log level, {@code POST /logging?level=debug} sets
 * it at runtime ({@code windlass proxy-config log POD --level debug}). The proxy has one logger, windlass-proxy.
 */
final class LogLevel {
    private LogLevel() {
    }

    static AdminResponse handle(FullHttpRequest request) {
        List<String> level = new QueryStringDecoder(request.uri()).parameters().get("level");
        if (level != null) {
            if (!HttpMethod.POST.equals(request.method())) {
                return AdminResponse.text(405, "POST only, to change the level\n");
            }
            if (!Log.level(level.getFirst())) {
                return AdminResponse.text(400, "level: '" + level.getFirst()
                        + "' is not one of trace, debug, info, warning, error, off\n");
            }
            Log.info("log level set to " + Log.level() + " through the admin");
        }
        return AdminResponse.text(200, "active loggers:\n  windlass-proxy: " + Log.level() + "\n");
    }
}
