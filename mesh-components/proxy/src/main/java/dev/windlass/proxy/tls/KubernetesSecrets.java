package dev.windlass.proxy.tls;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Secrets of one namespace from the Kubernetes API with the pod's service account, as Istio's gateway
 * credentials used to before SDS: a plain GET per Secret (the gateway's Role allows get, list and watch on
 * Secrets of its own namespace only). The JDK's HttpClient keeps the proxy free of a Kubernetes client library.
 * The token file is read on every request, since projected tokens rotate.
 */
final class KubernetesSecrets {
    private final URI api;
    private final String namespace;
    private final Path tokenFile;
    private final HttpClient http;

    KubernetesSecrets(URI api, String namespace, Path tokenFile, Path caFile) throws IOException, GeneralSecurityException {
        this.api = api;
        this.namespace = namespace;
        this.tokenFile = tokenFile;
        this.http = HttpClient.newBuilder().sslContext(trusting(caFile)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate ca : Pem.certificates(Files.readAllBytes(caFile), caFile.toString())) {
            store.setCertificateEntry("ca" + i++, ca);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    String namespace() {
        return namespace;
    }

    /** The Secret's data, decoded; empty when it does not exist. */
    Optional<Map<String, byte[]>> get(String name) throws IOException {
        URI uri = api.resolve("/api/v1/namespaces/" + encode(namespace) + "/secrets/" + encode(name));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + Files.readString(tokenFile).strip())
                .header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading Secret " + name, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                // The API's Status names the cause (Forbidden, ...); a Secret's content never appears in it.
                throw new IOException("GET Secret " + namespace + "/" + name + ": HTTP " + response.statusCode()
                        + " " + statusMessage(body));
            }
            return Optional.of(data(JsonParser.parseString(new String(body.readAllBytes(), StandardCharsets.UTF_8))));
        }
    }

    private static Map<String, byte[]> data(JsonElement secret) {
        Map<String, byte[]> data = new HashMap<>();
        JsonElement values = secret.getAsJsonObject().get("data");
        if (values != null && values.isJsonObject()) {
            values.getAsJsonObject().entrySet().forEach(entry ->
                    data.put(entry.getKey(), Base64.getDecoder().decode(entry.getValue().getAsString())));
        }
        return data;
    }

    private static String statusMessage(InputStream body) {
        try {
            JsonObject status = JsonParser.parseString(new String(body.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            return status.has("message") ? status.get("message").getAsString() : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
