package dev.windlass.init;

import java.util.Locale;

/**
 * The five per-pod traffic settings. Each is read from an environment variable (the injector copies the pod
 * annotation {@code traffic.sidecar.windlass.dev/<annotation>} into it) or from a flag, which wins over the variable.
 * A variable that is not set keeps the default; a variable set to the empty string means an empty list, which for
 * the two "include" settings switches that direction's capture off, as in Istio.
 */
public enum TrafficSetting {
    INCLUDE_OUTBOUND_IP_RANGES("includeOutboundIPRanges"),
    EXCLUDE_OUTBOUND_IP_RANGES("excludeOutboundIPRanges"),
    INCLUDE_INBOUND_PORTS("includeInboundPorts"),
    EXCLUDE_INBOUND_PORTS("excludeInboundPorts"),
    EXCLUDE_OUTBOUND_PORTS("excludeOutboundPorts");

    public static final String ANNOTATION_PREFIX = "traffic.sidecar.windlass.dev/";

    private final String annotationKey;

    TrafficSetting(String annotationKey) {
        this.annotationKey = annotationKey;
    }

    /** The environment variable, e.g. {@code INCLUDE_INBOUND_PORTS}. */
    public String envVar() {
        return name();
    }

    /** The flag, e.g. {@code --include-inbound-ports}. */
    public String flag() {
        return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The pod annotation the value comes from, e.g. {@code traffic.sidecar.windlass.dev/includeInboundPorts}. */
    public String annotation() {
        return ANNOTATION_PREFIX + annotationKey;
    }

    /**
     * Returns {@code config} with this setting replaced by {@code value}.
     *
     * @param source the variable or flag the value came from, for the error message
     * @throws InvalidValueException if the value is not valid for this setting
     */
    public CaptureConfig applyTo(CaptureConfig config, String value, String source) {
        try {
            return switch (this) {
                case INCLUDE_OUTBOUND_IP_RANGES -> config.withIncludeOutboundIpRanges(ValueLists.ipRanges(value, true));
                case EXCLUDE_OUTBOUND_IP_RANGES ->
                        config.withExcludeOutboundIpRanges(ValueLists.ipRanges(value, false).cidrs());
                case INCLUDE_INBOUND_PORTS -> config.withIncludeInboundPorts(ValueLists.ports(value, true));
                case EXCLUDE_INBOUND_PORTS -> config.withExcludeInboundPorts(ValueLists.ports(value, false).ports());
                case EXCLUDE_OUTBOUND_PORTS -> config.withExcludeOutboundPorts(ValueLists.ports(value, false).ports());
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(source, value, e.getMessage());
        }
    }

    /** This setting's value in {@code config}, written as the annotation would be. */
    public String valueIn(CaptureConfig config) {
        return switch (this) {
            case INCLUDE_OUTBOUND_IP_RANGES -> config.includeOutboundIpRanges().toString();
            case EXCLUDE_OUTBOUND_IP_RANGES -> IpRanges.of(config.excludeOutboundIpRanges()).toString();
            case INCLUDE_INBOUND_PORTS -> config.includeInboundPorts().toString();
            case EXCLUDE_INBOUND_PORTS -> PortSelection.of(config.excludeInboundPorts()).toString();
            case EXCLUDE_OUTBOUND_PORTS -> PortSelection.of(config.excludeOutboundPorts()).toString();
        };
    }
}
