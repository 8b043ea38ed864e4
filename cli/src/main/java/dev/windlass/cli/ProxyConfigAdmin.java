package dev.windlass.cli;

import dev.windlass.contract.MeshPorts;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.PodResource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads a page of a pod's proxy admin. The admin listens on 127.0.0.1:15000 inside the pod only, so the way in
 * is a port-forward through the apiserver, as {@code istioctl proxy-config} does.
 */
final class ProxyConfigAdmin {

    private ProxyConfigAdmin() {
    }

    static String get(KubernetesClient client, String namespace, String pod, String path, Duration timeout)
            throws InterruptedException {
        return send(client, namespace, pod, "GET", path, timeout);
    }

    /** {@code method} GET or POST (which the admin takes to change something, such as the log level). */
    static String send(KubernetesClient client, String namespace, String pod, String method, String path, Duration timeout)
            throws InterruptedException {
        PodResource resource = client.pods().inNamespace(namespace).withName(pod);
        Pod found = resource.get();
        if (found == null) {
            throw new InputException("POD: no pod " + pod + " in namespace " + namespace);
        }
        String where = "the proxy admin (port " + MeshPorts.PROXY_ADMIN + ") of " + namespace + "/" + pod;
        try (LocalPortForward forward = resource.portForward(MeshPorts.PROXY_ADMIN);
             HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + forward.getLocalPort() + path))
                    .timeout(timeout).method(method, HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new InputException("POD: " + where + " answered " + path + " with " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new InputException("POD: cannot read " + where + " (is it a pod with a sidecar?): " + e.getMessage());
        }
    }
}
