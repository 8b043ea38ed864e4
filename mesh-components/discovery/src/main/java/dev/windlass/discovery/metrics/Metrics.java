package dev.windlass.discovery.metrics;

import dev.windlass.discovery.xds.XdsType;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The discovery server's Prometheus metrics, written in the text exposition format by hand (four metrics do
 * not justify a client library). Names are {@code windlass_discovery_*}; each maps to a pilot metric:
 * <ul>
 *   <li>{@code windlass_discovery_pushes_total{type}}: xDS responses sent (pilot_xds_pushes);</li>
 *   <li>{@code windlass_discovery_nacks_total{type}}: responses a proxy rejected (pilot_total_xds_rejects);</li>
 *   <li>{@code windlass_discovery_push_latency_seconds}: from the first change of a debounce window to the
 *       push reaching a proxy's stream (pilot_proxy_convergence_time);</li>
 *   <li>{@code windlass_discovery_connected_proxies}: open ADS streams with a known node (pilot_xds);</li>
 *   <li>{@code windlass_discovery_push_triggers_total{kind}}: debounced pushes started, {@code full} or
 *       {@code endpoints} (pilot_push_triggers).</li>
 *   <li>{@code windlass_discovery_injections_total{result}}: admission requests of the injector webhook by
 *       result, {@code injected}, {@code skipped}, {@code refused} (bad annotation) or {@code error} (let through
 *       without a sidecar; sidecar_injection_failure_total).</li>
 *   <li>{@code windlass_discovery_validations_total{kind,result}}: admission requests of the traffic API's
 *       validating webhook by Istio kind and result, {@code allowed}, {@code refused} (invalid or not implemented)
 *       or {@code error} (a request that cannot be read, or a failure of our own; galley_validation_*).</li>
 * </ul>
 */
public final class Metrics {
    private static final double[] LATENCY_BUCKETS = {0.01, 0.1, 0.5, 1, 3, 5, 10, 20, 30};

    private final Map<XdsType, LongAdder> pushes = adders();
    private final Map<XdsType, LongAdder> nacks = adders();
    private final Map<String, LongAdder> triggers = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> injections = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** By their label set, {@code kind="VirtualService",result="refused"}: sorted, so the output is stable. */
    private final Map<String, LongAdder> validations = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Histogram pushLatency = new Histogram(LATENCY_BUCKETS);
    private volatile IntSupplier connectedProxies = () -> 0;

    private static Map<XdsType, LongAdder> adders() {
        Map<XdsType, LongAdder> map = new EnumMap<>(XdsType.class);
        for (XdsType t : XdsType.values()) {
            map.put(t, new LongAdder());
        }
        return map;
    }

    public void pushed(XdsType type) {
        pushes.get(type).increment();
    }

    public void nacked(XdsType type) {
        nacks.get(type).increment();
    }

    public void triggered(String kind) {
        triggers.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public void injection(String result) {
        injections.computeIfAbsent(result, k -> new LongAdder()).increment();
    }

    public long injections(String result) {
        LongAdder n = injections.get(result);
        return n == null ? 0 : n.sum();
    }

    public void validation(String kind, String result) {
        validations.computeIfAbsent(validationLabels(kind, result), k -> new LongAdder()).increment();
    }

    public long validations(String kind, String result) {
        LongAdder n = validations.get(validationLabels(kind, result));
        return n == null ? 0 : n.sum();
    }

    private static String validationLabels(String kind, String result) {
        return "kind=\"" + kind + "\",result=\"" + result + "\"";
    }

    public void pushLatency(double seconds) {
        pushLatency.observe(seconds);
    }

    public void connectedProxies(IntSupplier gauge) {
        this.connectedProxies = gauge;
    }

    public long pushes(XdsType type) {
        return pushes.get(type).sum();
    }

    public long nacks(XdsType type) {
        return nacks.get(type).sum();
    }

    /** The Prometheus text exposition format, version 0.0.4. */
    public String exposition() {
        StringBuilder out = new StringBuilder();
        perType(out, "windlass_discovery_pushes_total", "xDS responses sent to proxies, by type.", pushes);
        perType(out, "windlass_discovery_nacks_total", "xDS responses rejected (NACKed) by proxies, by type.", nacks);
        header(out, "windlass_discovery_push_triggers_total", "Debounced pushes started, by kind.", "counter");
        triggers.forEach((kind, n) -> out.append("windlass_discovery_push_triggers_total{kind=\"").append(kind)
                .append("\"} ").append(n.sum()).append('\n'));
        header(out, "windlass_discovery_injections_total", "Injector webhook requests, by result.", "counter");
        injections.forEach((result, n) -> out.append("windlass_discovery_injections_total{result=\"").append(result)
                .append("\"} ").append(n.sum()).append('\n'));
        header(out, "windlass_discovery_validations_total", "Validating webhook requests of the traffic API, by kind and result.",
                "counter");
        validations.forEach((labels, n) -> out.append("windlass_discovery_validations_total{").append(labels)
                .append("} ").append(n.sum()).append('\n'));
        header(out, "windlass_discovery_connected_proxies", "Proxies with an open ADS stream.", "gauge");
        out.append("windlass_discovery_connected_proxies ").append(connectedProxies.getAsInt()).append('\n');
        header(out, "windlass_discovery_push_latency_seconds",
                "Time from the first change of a debounce window to the push reaching a proxy.", "histogram");
        pushLatency.write(out, "windlass_discovery_push_latency_seconds");
        return out.toString();
    }

    private static void perType(StringBuilder out, String name, String help, Map<XdsType, LongAdder> values) {
        header(out, name, help, "counter");
        values.forEach((type, n) -> out.append(name).append("{type=\"").append(type.name().toLowerCase(Locale.ROOT))
                .append("\"} ").append(n.sum()).append('\n'));
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
