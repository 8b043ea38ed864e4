package dev.windlass.proxy;

import dev.windlass.proxy.admin.AppProbers;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The proxy's settings: environment variables as the injector sets them (see SidecarTemplate), overridden by
 * {@code --name=value} flags. A port of 0 means "any free port" (tests); the defaults are design.md's ports.
 */
public record ProxyOptions(NodeIdentity identity, String discoveryAddress, Ports ports, String adminHost,
                           int concurrency, Duration drainTimeout, boolean istioMetricNames, String accessLogFile,
                           String logLevel, String inboundSource, String inboundTarget, Duration initialFetchTimeout,
                           AppProbers appProbers) {

    /** Every port the proxy listens on. */
    public record Ports(int admin, int outbound, int inbound, int mergedMetrics, int readiness, int prometheus) {
        public static final Ports DEFAULT = new Ports(15000, 15001, 15006, 15020, 15021, 15090);
    }

    public static ProxyOptions parse(Role role, String[] args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>(env);
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("unknown argument \"" + arg + "\" (flags are --name=value)");
            }
            int eq = arg.indexOf('=');
            values.put(flagToEnv(arg.substring(2, eq)), arg.substring(eq + 1));
        }
        Settings s = new Settings(values);
        String pod = s.text("POD_NAME", "proxy");
        String namespace = s.text("POD_NAMESPACE", "default");
        String workload = s.text("WORKLOAD_NAME", NodeIdentity.workloadOf(pod));
        NodeIdentity identity = new NodeIdentity(role, pod, namespace, s.text("INSTANCE_IP", "127.0.0.1"),
                s.text("SERVICE_ACCOUNT", "default"), workload, s.text("REVISION", "default"));
        Ports d = Ports.DEFAULT;
        Ports ports = new Ports(s.port("ADMIN_PORT", d.admin()), s.port("OUTBOUND_PORT", d.outbound()),
                s.port("INBOUND_PORT", d.inbound()), s.port("MERGED_METRICS_PORT", d.mergedMetrics()),
                s.port("READINESS_PORT", d.readiness()), s.port("PROMETHEUS_PORT", d.prometheus()));
        int concurrency = s.number("PROXY_CONCURRENCY", 2);
        return new ProxyOptions(identity, s.text("DISCOVERY_ADDRESS", "windlass-discovery.windlass-system.svc:15010"),
                ports, s.text("ADMIN_HOST", "127.0.0.1"),
                concurrency == 0 ? Runtime.getRuntime().availableProcessors() : concurrency,
                Duration.ofSeconds(s.number("PROXY_DRAIN_SECONDS", 5)),
                s.flag("ISTIO_METRIC_NAMES") || s.flag("WINDLASS_METRICS_ISTIO_NAMES"),
                s.text("ACCESS_LOG_FILE", ""), s.text("PROXY_LOG_LEVEL", "info"),
                s.text("INBOUND_SOURCE_ADDRESS", "127.0.0.6"), s.text("INBOUND_TARGET_ADDRESS", "127.0.0.1"),
                Duration.ofSeconds(s.number("INITIAL_FETCH_TIMEOUT_SECONDS", 15)),
                AppProbers.parse(s.text("WINDLASS_KUBE_APP_PROBERS", "")));
    }

    /** {@code --admin-port} ↔ ADMIN_PORT, {@code --discovery-address} ↔ DISCOVERY_ADDRESS. */
    static String flagToEnv(String flag) {
        return flag.replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    /** Reads typed values, naming the variable in every error. */
    private record Settings(Map<String, String> values) {
        String text(String name, String fallback) {
            String value = values.get(name);
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        int number(String name, int fallback) {
            String value = text(name, null);
            try {
                return value == null ? fallback : Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + "=" + value + ": not a number");
            }
        }

        int port(String name, int fallback) {
            int port = number(name, fallback);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + "=" + port + ": not a port");
            }
            return port;
        }

        boolean flag(String name) {
            return "true".equalsIgnoreCase(text(name, "false"));
        }
    }
}
