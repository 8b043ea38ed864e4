package dev.windlass.injector;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The five traffic annotations, passed to windlass-init as the environment variables it reads
 * (mesh-components/init, TrafficSetting). A value is copied as it is, the empty string included (which switches
 * that direction's capture off); the init program checks it and fails loudly, naming the variable.
 */
final class TrafficEnv {
    static final String PREFIX = "traffic.sidecar.windlass.dev/";
    /** Annotation key → variable, in the init program's order. */
    private static final List<String[]> SETTINGS = List.of(
            new String[]{"includeOutboundIPRanges", "INCLUDE_OUTBOUND_IP_RANGES"},
            new String[]{"excludeOutboundIPRanges", "EXCLUDE_OUTBOUND_IP_RANGES"},
            new String[]{"includeInboundPorts", "INCLUDE_INBOUND_PORTS"},
            new String[]{"excludeInboundPorts", "EXCLUDE_INBOUND_PORTS"},
            new String[]{"excludeOutboundPorts", "EXCLUDE_OUTBOUND_PORTS"});

    private TrafficEnv() {
    }

    static void apply(Container init, Map<String, String> annotations) {
        List<EnvVar> env = new ArrayList<>(init.getEnv() == null ? List.of() : init.getEnv());
        for (String[] setting : SETTINGS) {
            String value = annotations.get(PREFIX + setting[0]);
            if (value != null) {
                env.removeIf(e -> setting[1].equals(e.getName()));
                env.add(new EnvVar(setting[1], value, null));
            }
        }
        init.setEnv(env);
    }
}
