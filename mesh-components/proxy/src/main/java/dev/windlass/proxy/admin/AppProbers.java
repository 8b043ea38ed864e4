package dev.windlass.proxy.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.windlass.contract.EnvVars;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The app's HTTP probes, which the injector rewrote to {@code GET :15020/app-health/<container>/<probe>}: the
 * original targets come in WINDLASS_KUBE_APP_PROBERS (JSON: path → {httpGet: {path, port, httpHeaders},
 * timeoutSeconds}), and each probe is performed against 127.0.0.1:port from here, as the kubelet would have
 * (status 200-399 passes). The proxy runs as UID 1337, whose traffic the capture rules let through. One virtual
 * thread per probe keeps the blocking call off the event loop.
 */
public final class AppProbers {
    public static final String PREFIX = "/app-health/";
    private final Map<String, Prober> probers;

    record Prober(String path, int port, List<String[]> headers, Duration timeout) {
    }

    private AppProbers(Map<String, Prober> probers) {
        this.probers = Map.copyOf(probers);
    }

    /** @throws IllegalArgumentException when the JSON cannot be read, naming the variable */
    public static AppProbers parse(String json) {
        Map<String, Prober> probers = new HashMap<>();
        if (json != null && !json.isBlank()) {
            Struct.Builder all = Struct.newBuilder();
            try {
                JsonFormat.parser().merge(json, all);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException(EnvVars.APP_PROBERS + ": not JSON: " + e.getMessage(), e);
            }
            all.getFieldsMap().forEach((path, spec) -> probers.put(path, prober(spec.getStructValue())));
        }
        return new AppProbers(probers);
    }

    private static Prober prober(Struct spec) {
        Struct get = spec.getFieldsOrDefault("httpGet", Value.getDefaultInstance()).getStructValue();
        String path = get.getFieldsOrDefault("path", Value.newBuilder().setStringValue("/").build()).getStringValue();
        int port = (int) get.getFieldsOrDefault("port", Value.getDefaultInstance()).getNumberValue();
        List<String[]> headers = get.getFieldsOrDefault("httpHeaders", Value.getDefaultInstance()).getListValue()
                .getValuesList().stream().map(h -> new String[]{text(h, "name"), text(h, "value")}).toList();
        double seconds = spec.getFieldsOrDefault("timeoutSeconds", Value.newBuilder().setNumberValue(1).build()).getNumberValue();
        return new Prober(path, port, headers, Duration.ofMillis((long) (Math.max(seconds, 1) * 1000)));
    }

    private static String text(Value struct, String field) {
        return struct.getStructValue().getFieldsOrDefault(field, Value.getDefaultInstance()).getStringValue();
    }

    /** The probe's answer, or null when {@code path} is not a known app probe (404). */
    public CompletableFuture<AdminResponse> probe(String path) {
        Prober prober = probers.get(path);
        if (prober == null) {
            return null;
        }
        CompletableFuture<AdminResponse> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("app-probe").start(() -> answer.complete(call(prober)));
        return answer;
    }

    private static AdminResponse call(Prober prober) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + prober.port() + prober.path()).toURL().openConnection();
            connection.setInstanceFollowRedirects(false); // as the kubelet: a 3xx counts as success, not followed
            connection.setConnectTimeout((int) prober.timeout().toMillis());
            connection.setReadTimeout((int) prober.timeout().toMillis());
            connection.setRequestProperty("User-Agent", "kube-probe/windlass");
            HttpURLConnection request = connection;
            prober.headers().forEach(h -> request.setRequestProperty(h[0], h[1]));
            int status = connection.getResponseCode();
            return AdminResponse.text(status, "app probe " + prober.path() + " on port " + prober.port() + ": " + status + "\n");
        } catch (IOException e) {
            return AdminResponse.text(503, "app probe " + prober.path() + " on port " + prober.port() + " failed: " + e + "\n");
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
