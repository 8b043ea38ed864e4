package dev.windlass.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A GET on a port of a pod through a port-forward; the answer's status is left to the caller. */
final class PodHttp {
    private PodHttp() {
    }

    record Answer(int status, String body) {
    }

    static Answer get(KubernetesClient client, String namespace, String pod, int port, String path, Duration timeout)
            throws InterruptedException {
        try (LocalPortForward forward = client.pods().inNamespace(namespace).withName(pod).portForward(port);
             HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            URI uri = URI.create("http://127.0.0.1:" + forward.getLocalPort() + path);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new InputException("cannot read port " + port + " of " + namespace + "/" + pod + ": " + e.getMessage());
        }
    }
}
