package dev.windlass.traffic.istio.analysis;

import java.util.Locale;

/**
 * The analysis messages Windlass gives, with Istio's codes, names, levels and message templates
 * (Istio's {@code pkg/config/analysis/msg/messages.yaml}), so that findings read exactly as istiod and
 * {@code istioctl analyze} write them. Templates are Go format strings; {@link Finding} renders them.
 */
public enum Code {
    IST0101("ReferencedResourceNotFound", Level.ERROR, "Referenced %s not found: %q"),
    IST0106("SchemaValidationError", Level.ERROR, "Schema validation error: %v"),
    IST0109("ConflictingMeshGatewayVirtualServiceHosts", Level.ERROR, "The VirtualServices %s associated with mesh gateway "
            + "define the same host %s which can lead to undefined behavior. This can be fixed by merging the "
            + "conflicting VirtualServices into a single resource."),
    IST0112("VirtualServiceDestinationPortSelectorRequired", Level.ERROR, "This VirtualService routes to a service %q "
            + "that exposes multiple ports %v. Specifying a port in the destination is required to disambiguate."),
    IST0130("VirtualServiceUnreachableRule", Level.WARNING, "VirtualService rule %v not used (%s)."),
    IST0131("VirtualServiceIneffectiveMatch", Level.INFO,
            "VirtualService rule %v match %v is not used (duplicate/overlapping match in rule %v)."),
    IST0132("VirtualServiceHostNotFoundInGateway", Level.WARNING,
            "one or more host %v defined in VirtualService %s not found in Gateway %s."),
    IST0173("DestinationRuleSubsetNotSelectPods", Level.ERROR, "The Subset %s defined in the DestinationRule does not "
            + "select any pods. Which may lead to 503 UH (NoHealthyUpstream)."),
    IST0174("UnknownDestinationRuleHost", Level.WARNING,
            "The host %s defined in the DestinationRule does not match any services in the mesh.");

    /** Where istio.io documents each code; the status controller links there with this ref. */
    public static final String DOCS = "https://istio.io/latest/docs/reference/config/analysis";

    private final String title;
    private final Level level;
    private final String template;

    Code(String title, Level level, String template) {
        this.title = title;
        this.level = level;
        this.template = template;
    }

    /** Istio's name for the message, e.g. ReferencedResourceNotFound. */
    public String title() {
        return title;
    }

    public Level level() {
        return level;
    }

    public String template() {
        return template;
    }

    /** {@code https://istio.io/latest/docs/reference/config/analysis/ist0101/?ref=<ref>}, as Istio links a code. */
    public String documentationUrl(String ref) {
        return DOCS + "/" + name().toLowerCase(Locale.ROOT) + "/?ref=" + ref;
    }

    /** The message: {@code %q} quotes its argument as Go does, {@code %s} and {@code %v} print it as it is. */
    public String format(Object... args) {
        StringBuilder out = new StringBuilder();
        int arg = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '%' && i + 1 < template.length()) {
                char verb = template.charAt(++i);
                Object value = args[arg++];
                out.append(verb == 'q' ? quote(String.valueOf(value)) : String.valueOf(value));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Go's %q for the strings analysis quotes (host names, subset names): backslash and quote escaped. */
    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
