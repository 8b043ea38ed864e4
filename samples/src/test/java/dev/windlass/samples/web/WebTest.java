package dev.windlass.samples.web;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The web role on a loopback socket. */
class WebTest {
    @Test
    void anyPathNamesTheAppVersionAndPod() throws Exception {
        HttpServer server = Web.start("myapp", "v2", "myapp-v2-abc", 0);
        try {
            for (String path : new String[] {"/", "/index.html", "/any/thing?x=1"}) {
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-served-by")).hasValue("myapp-v2");
                assertThat(response.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
                assertThat(response.body()).contains("myapp v2 myapp-v2-abc", "data-version=\"v2\"");
            }
        } finally {
            server.stop(0);
        }
    }
}
