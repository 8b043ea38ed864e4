package dev.windlass.proxy;

import dev.windlass.contract.EnvVars;
import dev.windlass.contract.MeshIdentity;
import dev.windlass.contract.MeshPorts;
import dev.windlass.contract.Revisions;
import dev.windlass.proxy.admin.AppProbers;
import dev.windlass.proxy.tls.TrustBundle;
import dev.windlass.proxy.net.TransportKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proxy's settings: environment variables as the injector sets them (see SidecarTemplate), overridden by
 * {@code --name=value} flags. A port of 0 means "any free port" (tests); the defaults are design.md's ports.
 */
public record ProxyOptions(NodeIdentity identity, String discoveryAddress, Ports ports, String adminHost,
                           int concurrency, TransportKind transport, Duration drainTimeout,
                           boolean istioMetricNames, Logging logging, String inboundSource, String inboundTarget,
                           Duration initialFetchTimeout, AppProbers appProbers, Tls tls, XdsAuth xdsAuth) {

    /**
     * How the proxy authenticates to the discovery server's TLS port: the CA root it trusts (CA_ROOT_CERT, PEM; else
     * the file CA_ROOT_CERT_FILE, the root ConfigMap sidecars and gateways mount, followed as it changes) and the ServiceAccount token file it presents (XDS_TOKEN_PATH, the injector's projected token);
     * and the lifetime it asks for its workload certificate (SECRET_TTL, Istio's variable: a Go duration, 24h).
     * Without a root the proxy dials the plaintext port and has no workload certificate.
     */
    public record XdsAuth(String caRootPem, Optional<Path> caRootFile, Path tokenFile, Duration certificateTtl) {
        public boolean tls() {
            return !caRootPem.isEmpty();
        }

        /** The roots, following the mounted file when they came from one (the root rotates). */
        public TrustBundle trustBundle() {
            return TrustBundle.of(caRootPem, caRootFile);
        }
    }

    /**
     * The proxy's own log (level, JSON lines when values.global.logAsJson) and its access log (meshConfig.accessLogFile,
     * empty for none, and accessLogEncoding).
     */
    public record Logging(String level, boolean json, String accessLogFile, AccessLogEncoding accessLogEncoding) {
    }

    public enum AccessLogEncoding { TEXT, JSON }

    /**
     * TLS termination: the engine ({@code openssl}, {@code jdk}, or empty for BoringSSL when it loads), how often
     * certificate files and Secrets are re-read, and the Kubernetes API that {@code kubernetes://} credentials are
     * read from (Kubernetes' own in-cluster variables; no host: none).
     */
    public record Tls(String provider, Duration credentialPollPeriod, String kubernetesHost, String kubernetesPort,
                      String serviceAccountDir) {
    }

    /** Every port the proxy listens on. */
    public record Ports(int admin, int outbound, int inbound, int mergedMetrics, int readiness, int prometheus) {
        public static final Ports DEFAULT = new Ports(MeshPorts.PROXY_ADMIN, MeshPorts.OUTBOUND_CAPTURE,
                MeshPorts.INBOUND_CAPTURE, MeshPorts.PROXY_STATUS, MeshPorts.PROXY_READINESS, MeshPorts.PROXY_METRICS);
    }

    private static final String READINESS_PORT = "READINESS_PORT";
    /** epoll (the default), io_uring (issue 21: measured beside epoll; falls back to epoll where it does not load), nio. */
    private static final String PROXY_TRANSPORT = "PROXY_TRANSPORT";
    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+)(ms|h|m|s)");

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
        String pod = s.text(EnvVars.POD_NAME, "proxy");
        String namespace = s.text(EnvVars.POD_NAMESPACE, "default");
        String workload = s.text("WORKLOAD_NAME", NodeIdentity.workloadOf(pod));
        NodeIdentity identity = new NodeIdentity(role, pod, namespace, s.text(EnvVars.INSTANCE_IP, "127.0.0.1"),
                s.text(EnvVars.SERVICE_ACCOUNT, "default"), workload, s.text(EnvVars.REVISION, Revisions.DEFAULT));
        Ports d = Ports.DEFAULT;
        Ports ports = new Ports(s.port("ADMIN_PORT", d.admin()), s.port("OUTBOUND_PORT", d.outbound()),
                s.port("INBOUND_PORT", d.inbound()), s.port("MERGED_METRICS_PORT", d.mergedMetrics()),
                s.port(READINESS_PORT, d.readiness()), s.port("PROMETHEUS_PORT", d.prometheus()));
        int concurrency = s.number(EnvVars.PROXY_CONCURRENCY, 2);
        return new ProxyOptions(identity, s.text(EnvVars.DISCOVERY_ADDRESS,
                Revisions.DISCOVERY + ".windlass-system.svc:" + MeshPorts.XDS_TLS),
                ports, s.text("ADMIN_HOST", "127.0.0.1"),
                concurrency == 0 ? Runtime.getRuntime().availableProcessors() : concurrency,
                TransportKind.fromSetting(PROXY_TRANSPORT, s.text(PROXY_TRANSPORT, TransportKind.EPOLL.settingValue())),
                Duration.ofSeconds(s.number(EnvVars.PROXY_DRAIN_SECONDS, 5)),
                s.flag(EnvVars.ISTIO_METRIC_NAMES) || s.flag("WINDLASS_METRICS_ISTIO_NAMES"), logging(s),
                s.text("INBOUND_SOURCE_ADDRESS", MeshPorts.INBOUND_SOURCE), s.text("INBOUND_TARGET_ADDRESS", "127.0.0.1"),
                Duration.ofSeconds(s.number("INITIAL_FETCH_TIMEOUT_SECONDS", 15)),
                AppProbers.parse(s.text(EnvVars.APP_PROBERS, "")), tls(s),
                xdsAuth(s));
    }

    private static XdsAuth xdsAuth(Settings s) {
        Path tokenFile = Path.of(s.text("XDS_TOKEN_PATH", MeshIdentity.TOKEN_PATH));
        Duration ttl = s.goDuration("SECRET_TTL", Duration.ofHours(24));
        String pem = s.text(EnvVars.CA_ROOT_CERT, "");
        if (!pem.isEmpty()) {
            return new XdsAuth(pem, Optional.empty(), tokenFile, ttl);
        }
        Path file = Path.of(s.text("CA_ROOT_CERT_FILE", MeshIdentity.ROOT_CERT_PATH));
        try {
            return Files.isReadable(file) ? new XdsAuth(Files.readString(file).strip(), Optional.of(file), tokenFile, ttl)
                    : new XdsAuth("", Optional.empty(), tokenFile, ttl);
        } catch (IOException e) {
            throw new IllegalArgumentException("CA_ROOT_CERT_FILE=" + file + ": " + e.getMessage(), e);
        }
    }

    private static Tls tls(Settings s) {
        return new Tls(s.text("PROXY_TLS_PROVIDER", ""), Duration.ofSeconds(s.number("CREDENTIAL_POLL_SECONDS", 10)),
                s.text("KUBERNETES_SERVICE_HOST", ""), s.text("KUBERNETES_SERVICE_PORT", "443"),
                s.text("SERVICE_ACCOUNT_DIR", "/var/run/secrets/kubernetes.io/serviceaccount"));
    }

    private static Logging logging(Settings s) {
        String encoding = s.text(EnvVars.ACCESS_LOG_ENCODING, "TEXT");
        try {
            return new Logging(s.text(EnvVars.PROXY_LOG_LEVEL, "info"), s.flag(EnvVars.LOG_AS_JSON),
                    s.text(EnvVars.ACCESS_LOG_FILE, ""), AccessLogEncoding.valueOf(encoding));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(EnvVars.ACCESS_LOG_ENCODING + "=" + encoding + ": not TEXT or JSON");
        }
    }

    /** The readiness port the sidecar in the same container listens on, for the {@code wait} role. */
    static int readinessPort(Map<String, String> env) {
        return new Settings(env).port(READINESS_PORT, Ports.DEFAULT.readiness());
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

        /** Go's duration syntax, as Istio's variables use it: {@code 24h}, {@code 1m30s}, {@code 60s}, {@code 500ms}. */
        Duration goDuration(String name, Duration fallback) {
            String value = text(name, null);
            if (value == null) {
                return fallback;
            }
            Matcher part = GO_DURATION_PART.matcher(value);
            Duration total = Duration.ZERO;
            int end = 0;
            while (part.find() && part.start() == end) {
                long n = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMillis(n);
                });
                end = part.end();
            }
            if (end == 0 || end != value.length() || total.isZero()) {
                throw new IllegalArgumentException(name + "=" + value + ": not a duration (such as 24h, 1m30s or 60s)");
            }
            return total;
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
