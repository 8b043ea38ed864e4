package dev.windlass.proxy.admin;

import dev.windlass.proxy.JsonText;
import dev.windlass.proxy.ProxyContext;

/**
 * {@code /server_info}: Envoy's field names where Envoy has the fact (state, node id, concurrency), and the
 * transport the proxy really runs, which may not be the one PROXY_TRANSPORT asked for (io_uring falls back to
 * epoll): benchmarks check it before comparing transports.
 */
final class ServerInfo {
    private ServerInfo() {
    }

    static String json(ProxyContext ctx) {
        String state = ctx.drain().draining() ? "DRAINING" : ctx.config().ready() ? "LIVE" : "PRE_INITIALIZING";
        return "{\n  \"state\": " + JsonText.quote(state)
                + ",\n  \"node\": {\"id\": " + JsonText.quote(ctx.options().identity().nodeId()) + "}"
                + ",\n  \"command_line_options\": {\"concurrency\": " + ctx.options().concurrency() + "}"
                + ",\n  \"transport\": " + JsonText.quote(ctx.transport().kind().settingValue()) + "\n}\n";
    }
}
