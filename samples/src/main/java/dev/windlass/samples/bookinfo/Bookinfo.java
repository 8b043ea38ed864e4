package dev.windlass.samples.bookinfo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.windlass.samples.burn.Burn;
import dev.windlass.samples.httpbin.Httpbin;
import dev.windlass.samples.load.LoadClient;
import dev.windlass.samples.streamecho.StreamEcho;
import dev.windlass.samples.tcpecho.TcpEcho;
import dev.windlass.samples.web.Web;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The samples image's one program: its first argument picks the role. The Bookinfo roles (productpage, details,
 * reviews, ratings) name, in every response, the service, version and pod that served it, so that a caller can see
 * where the mesh sent a request. The other roles stand in for Istio's other sample apps and tools.
 */
public final class Bookinfo {
    private static final Set<String> BOOKINFO = Set.of("productpage", "details", "reviews", "ratings");
    private static final String USAGE = """
            usage: bookinfo ROLE [ARGS]
              productpage|details|reviews|ratings   Bookinfo services (env PORT, default 9080)
              httpbin                               httpbin-like echo server (env PORT, default 8080)
              tcp-echo PREFIX                       answers each line with "PREFIX line" on ports 9000, 9001, 9002
              web NAME                              a page naming NAME, VERSION and the pod (env PORT, default 80)
              stream-echo                           WebSocket echo (env WS_PORT, 8080) and gRPC bidi echo (GRPC_PORT, 9090)
              load [OPTIONS] URL | load tcp|curl|ws|grpc ...   a fortio-like load client (run with -h)
              sleep                                 waits, so that load can be exec'd in its container
              burn [THREADS]                        keeps THREADS cores busy (default: all), for CPU-pressure tests""";

    private Bookinfo() {
    }

    public static void main(String[] args) throws Exception {
        String role = args.length == 0 ? "" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        if (BOOKINFO.contains(role) && rest.length == 0) {
            Environment env = Environment.fromSystem();
            int port = Http.port(9080);
            start(Role.named(role, env), port);
            System.out.printf("bookinfo %s %s listening on %d%n", role, env.version(), port);
            return;
        }
        switch (role) {
            case "httpbin" -> Httpbin.main(rest);
            case "tcp-echo" -> TcpEcho.main(rest);
            case "web" -> Web.main(rest);
            case "stream-echo" -> StreamEcho.main(rest);
            case "load" -> System.exit(LoadClient.run(rest, System.out, System.err));
            case "sleep" -> new CountDownLatch(1).await();
            case "burn" -> Burn.main(rest);
            default -> {
                System.err.println(USAGE);
                System.exit(2);
            }
        }
    }

    /** Starts serving {@code role} on {@code port} (0 picks a free one); returns the server. */
    public static HttpServer start(Role role, int port) throws IOException {
        HttpServer server = Http.server(port);
        server.createContext("/health", exchange -> Http.reply(exchange, 200, "application/json", "{\"status\":\"ok\"}"));
        server.createContext("/", exchange -> {
            try (exchange) {
                Role.Response response = role.handle(request(exchange));
                Http.reply(exchange, response.status(), response.contentType(), response.body(), response.headers());
            } catch (RuntimeException e) {
                Http.reply(exchange, 500, "application/json", "{\"error\":" + Json.string(String.valueOf(e.getMessage())) + "}");
            }
        });
        server.start();
        return server;
    }

    private static Role.Request request(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        return new Role.Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), query == null ? "" : query,
                exchange.getRequestHeaders(), Http.body(exchange));
    }
}
