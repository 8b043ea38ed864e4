package dev.windlass.discovery;

import dev.windlass.contract.EnvVars;
import dev.windlass.contract.MeshPorts;
import dev.windlass.contract.Revisions;
import dev.windlass.discovery.ca.PluggedCa;
import dev.windlass.discovery.ca.ServingCertificates;
import dev.windlass.discovery.security.JwksResolver;
import dev.windlass.traffic.istio.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.windlass.contract.EnvVars.flag;

/**
 * The discovery server's settings. Each comes from a flag {@code --name=value}, else from the environment
 * variable of the same name upper-cased with underscores ({@code --xds-port} / {@code XDS_PORT}), else the
 * default ({@code --xds-tls-port}: 15012, the authenticated xDS and CA port). The plaintext xDS port
 * ({@code --xds-port}) is {@code off} unless set: it would serve any pod any proxy's configuration. The namespace and revision come from the env vars the operator's Deployment sets (POD_NAMESPACE,
 * REVISION). Port 0 binds an ephemeral port, for tests. The webhook configurations whose caBundle this server
 * writes are INJECTION_WEBHOOK_NAME (a MutatingWebhookConfiguration) and VALIDATION_WEBHOOK_NAME (a
 * ValidatingWebhookConfiguration), which the operator sets, else profiles' names for them. The serving
 * certificates of 15017 and 15012 last {@code --serving-cert-ttl} (a Go duration; 2160h, 90 days, by default) and
 * are renewed at 80 % of it. A CA plugged in as Istio's {@code cacerts} Secret is read from {@code --plugged-ca-dir}
 * ({@code /etc/cacerts}, where the Deployment mounts it). RequestAuthentications' JWKS ({@code jwksUri}, issuers'
 * OpenID configurations) are fetched again every {@code --jwt-pub-key-refresh-interval} (a Go duration; 20m, as istiod's
 * PILOT_JWT_PUB_KEY_REFRESH_INTERVAL).
 */
public record DiscoveryConfig(String bindAddress, int xdsPort, int debugPort, int metricsPort, String namespace,
                              String revision, Duration debounceQuiet, Duration debounceMax, int webhookPort,
                              String injectionWebhookName, String validationWebhookName, int xdsTlsPort,
                              Duration servingCertTtl, Path pluggedCaDirectory, Duration jwksRefreshInterval) {
    public static final int DEBUG_PORT = 8080;
    /** {@code xdsPort} when the plaintext port is off, as by default. */
    public static final int OFF = -1;

    /** The production defaults; tests override ports and debounce. */
    public static DiscoveryConfig defaults() {
        return new DiscoveryConfig("0.0.0.0", OFF, DEBUG_PORT, MeshPorts.DISCOVERY_METRICS, "windlass-system", "",
                Duration.ofMillis(100), Duration.ofSeconds(10), MeshPorts.WEBHOOK, "", "", MeshPorts.XDS_TLS,
                ServingCertificates.DEFAULT_LIFETIME, PluggedCa.DIRECTORY, JwksResolver.DEFAULT_REFRESH);
    }

    /** With an ephemeral TLS xDS port and the default serving certificate lifetime (tests). */
    public DiscoveryConfig(String bindAddress, int xdsPort, int debugPort, int metricsPort, String namespace,
                           String revision, Duration debounceQuiet, Duration debounceMax, int webhookPort,
                           String injectionWebhookName, String validationWebhookName) {
        this(bindAddress, xdsPort, debugPort, metricsPort, namespace, revision, debounceQuiet, debounceMax, webhookPort,
                injectionWebhookName, validationWebhookName, 0, ServingCertificates.DEFAULT_LIFETIME, PluggedCa.DIRECTORY,
                JwksResolver.DEFAULT_REFRESH);
    }

    /** With the validating webhook configuration's default name. */
    public DiscoveryConfig(String bindAddress, int xdsPort, int debugPort, int metricsPort, String namespace,
                           String revision, Duration debounceQuiet, Duration debounceMax, int webhookPort,
                           String injectionWebhookName) {
        this(bindAddress, xdsPort, debugPort, metricsPort, namespace, revision, debounceQuiet, debounceMax, webhookPort,
                injectionWebhookName, "");
    }

    /** Without webhook settings (the xDS tests): ephemeral webhook port, the default configuration name. */
    public DiscoveryConfig(String bindAddress, int xdsPort, int debugPort, int metricsPort, String namespace,
                           String revision, Duration debounceQuiet, Duration debounceMax) {
        this(bindAddress, xdsPort, debugPort, metricsPort, namespace, revision, debounceQuiet, debounceMax, 0, "", "");
    }

    /** The same settings with the plugged-in CA's files read from {@code directory} (tests). */
    public DiscoveryConfig withPluggedCaDirectory(Path directory) {
        return new DiscoveryConfig(bindAddress, xdsPort, debugPort, metricsPort, namespace, revision, debounceQuiet,
                debounceMax, webhookPort, injectionWebhookName, validationWebhookName, xdsTlsPort, servingCertTtl, directory,
                jwksRefreshInterval);
    }

    /** The plaintext xDS port, when on. */
    public Optional<Integer> plaintextXds() {
        return xdsPort == OFF ? Optional.empty() : Optional.of(xdsPort);
    }

    public String revisioned(String name) {
        return Revisions.revisioned(name, revision);
    }

    /** The webhook configuration to write the caBundle into: the setting, else profiles' InjectionWebhook.name. */
    public String webhookConfigurationName() {
        return injectionWebhookName.isEmpty() ? Revisions.clusterScoped(Revisions.INJECTOR, revision, namespace) : injectionWebhookName;
    }

    /** The validating webhook configuration to write the caBundle into: the setting, else profiles' ValidationWebhook.name. */
    public String validationConfigurationName() {
        return validationWebhookName.isEmpty() ? Revisions.clusterScoped(Revisions.VALIDATOR, revision, namespace) : validationWebhookName;
    }

    /** The Service the apiserver and the proxies call, which the serving certificates must name. */
    public String serviceName() {
        return Revisions.discoveryName(revision);
    }

    /** The names the Service may be called by (the serving certificates' DNS SANs). */
    public List<String> serviceNames() {
        String service = serviceName();
        return List.of(service + "." + namespace + ".svc", service + "." + namespace + ".svc.cluster.local",
                service + "." + namespace, service);
    }

    public static DiscoveryConfig parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            flags.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Settings s = new Settings(flags, env);
        DiscoveryConfig d = defaults();
        DiscoveryConfig config = new DiscoveryConfig(
                s.string("bind-address", d.bindAddress()),
                s.portOrOff("xds-port", d.xdsPort()), s.port("debug-port", d.debugPort()), s.port("metrics-port", d.metricsPort()),
                s.string(flag(EnvVars.POD_NAMESPACE), d.namespace()), s.string(flag(EnvVars.REVISION), d.revision()),
                Duration.ofMillis(s.number(flag(EnvVars.DEBOUNCE_QUIET_MS), d.debounceQuiet().toMillis())),
                Duration.ofMillis(s.number(flag(EnvVars.DEBOUNCE_MAX_MS), d.debounceMax().toMillis())),
                s.port("webhook-port", d.webhookPort()), s.string(flag(EnvVars.INJECTION_WEBHOOK_NAME), ""),
                s.string(flag(EnvVars.VALIDATION_WEBHOOK_NAME), ""), s.port("xds-tls-port", d.xdsTlsPort()),
                s.duration("serving-cert-ttl", d.servingCertTtl()),
                Path.of(s.string("plugged-ca-dir", d.pluggedCaDirectory().toString())),
                s.duration("jwt-pub-key-refresh-interval", d.jwksRefreshInterval()));
        if (!flags.isEmpty()) {
            throw new IllegalArgumentException("unknown flag --" + flags.keySet().iterator().next());
        }
        return config;
    }

    /** Reads a setting from the flags (consuming it, so that leftovers are unknown flags) or the environment. */
    private record Settings(Map<String, String> flags, Map<String, String> env) {
        String string(String name, String fallback) {
            String flag = flags.remove(name);
            if (flag != null) {
                return flag;
            }
            String value = env.get(name.toUpperCase(Locale.ROOT).replace('-', '_'));
            return value == null || value.isEmpty() ? fallback : value;
        }

        long number(String name, long fallback) {
            return number(name, string(name, String.valueOf(fallback)));
        }

        private static long number(String name, String value) {
            try {
                long n = Long.parseLong(value);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number >= 0, got " + value);
            }
        }

        /** A lifetime or an interval of at least 1 s: a Go duration ({@code 2160h}, {@code 90s}), as Istio writes its settings. */
        Duration duration(String name, Duration fallback) {
            String value = string(name, "");
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                Duration duration = Durations.parse(value);
                if (duration.compareTo(ServingCertificates.MIN_LIFETIME) >= 0) {
                    return duration;
                }
            } catch (IllegalArgumentException e) {
                // named below, with the setting
            }
            throw new IllegalArgumentException(name + " must be a duration of at least 1s such as 2160h or 90s, got " + value);
        }

        /** A port, or {@code off}. */
        int portOrOff(String name, int fallback) {
            String value = string(name, fallback == OFF ? "off" : String.valueOf(fallback));
            return "off".equals(value) ? OFF : port(name, value);
        }

        int port(String name, int fallback) {
            return port(name, string(name, String.valueOf(fallback)));
        }

        private static int port(String name, String value) {
            long port = number(name, value);
            if (port > 65535) {
                throw new IllegalArgumentException(name + " must be a port (0-65535), got " + port);
            }
            return (int) port;
        }
    }
}
