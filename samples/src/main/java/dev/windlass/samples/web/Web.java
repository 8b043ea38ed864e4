package dev.windlass.samples.web;

import com.sun.net.httpserver.HttpServer;
import dev.windlass.samples.bookinfo.Environment;
import dev.windlass.samples.bookinfo.Http;

import java.io.IOException;
import java.util.Map;

/**
 * A hello page for any path, standing in for the web servers of Istio users' examples (janakiramm/myapp's nginx
 * pages, tomcat, httpd). The body names the app, its version and pod ("myapp v1 myapp-v1-abc"); the header
 * x-served-by says "myapp-v1", so that a client can count which version answered without parsing HTML.
 */
public final class Web {
    private Web() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: web NAME   (env VERSION, default v1; PORT, default 80)");
            System.exit(2);
        }
        Environment env = Environment.fromSystem();
        int port = Http.port(80);
        start(args[0], env.version(), env.pod(), port);
        System.out.printf("web %s %s listening on %d%n", args[0], env.version(), port);
    }

    /** Serves the page on {@code port} (0 picks a free one). */
    public static HttpServer start(String name, String version, String pod, int port) throws IOException {
        String servedBy = name + " " + version + " " + pod;
        String page = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%1$s %2$s</title></head>
                <body data-app="%1$s" data-version="%2$s" data-pod="%3$s">
                <h1>Hello from %1$s %2$s</h1>
                <p class="served-by">%4$s</p>
                </body></html>
                """.formatted(escape(name), escape(version), escape(pod), escape(servedBy));
        HttpServer server = Http.server(port);
        server.createContext("/", exchange -> {
            try (exchange) {
                Http.reply(exchange, 200, "text/html; charset=utf-8", page, Map.of("x-served-by", name + "-" + version));
            }
        });
        server.start();
        return server;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
