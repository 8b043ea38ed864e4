package dev.windlass.profiles.render;

import dev.windlass.api.v1alpha1.MeshConfig;
import dev.windlass.api.v1alpha1.MeshConfig.ProxyDefaults;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static dev.windlass.contract.EnvVars.ACCESS_LOG_ENCODING;
import static dev.windlass.contract.EnvVars.ACCESS_LOG_FILE;
import static dev.windlass.contract.EnvVars.DISCOVERY_ADDRESS;
import static dev.windlass.contract.EnvVars.ISTIO_METRIC_NAMES;
import static dev.windlass.contract.EnvVars.LOG_AS_JSON;
import static dev.windlass.contract.EnvVars.PROXY_CONCURRENCY;
import static dev.windlass.contract.EnvVars.PROXY_DRAIN_SECONDS;
import static dev.windlass.contract.EnvVars.PROXY_LOG_LEVEL;
import static dev.windlass.contract.EnvVars.REVISION;

/**
 * The environment of every proxy, injected sidecar and gateway alike, as Istio applies meshConfig.defaultConfig
 * to both: who it is, where discovery is, the proxy defaults, the access log and how to log; then
 * {@code proxyMetadata}, sorted so that the output is stable.
 */
final class ProxyEnv {
    private ProxyEnv() {
    }

    static List<EnvVar> of(MeshContext ctx) {
        MeshConfig mesh = ctx.spec().meshConfig();
        ProxyDefaults proxy = mesh.defaultConfig();
        List<EnvVar> env = new ArrayList<>(Workloads.podIdentityEnv());
        env.add(Workloads.env(DISCOVERY_ADDRESS, ctx.discoveryAddress()));
        env.add(Workloads.env(REVISION, ctx.revision()));
        env.add(Workloads.env(PROXY_CONCURRENCY, String.valueOf(proxy.concurrency())));
        env.add(Workloads.env(PROXY_LOG_LEVEL, proxy.logLevel().name()));
        env.add(Workloads.env(PROXY_DRAIN_SECONDS, String.valueOf(proxy.drainDurationSeconds())));
        env.add(Workloads.env(ISTIO_METRIC_NAMES, String.valueOf(proxy.istioMetricNames())));
        // meshConfig.accessLogFile, e.g. /dev/stdout in the demo profile; empty means no access log.
        env.add(Workloads.env(ACCESS_LOG_FILE, Objects.requireNonNullElse(mesh.accessLogFile(), "")));
        env.add(Workloads.env(ACCESS_LOG_ENCODING, mesh.accessLogEncoding().name()));
        env.add(Workloads.env(LOG_AS_JSON, String.valueOf(ctx.spec().values().global().logAsJson())));
        Map<String, String> metadata = proxy.proxyMetadata() == null ? Map.of() : new TreeMap<>(proxy.proxyMetadata());
        metadata.forEach((name, value) -> env.add(Workloads.env(name, value)));
        return env;
    }
}
