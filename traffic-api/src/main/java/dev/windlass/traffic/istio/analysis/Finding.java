package dev.windlass.traffic.istio.analysis;

/**
 * One analysis message about one resource. {@code path} is the field it is about ({@code spec.http[0].route[0]
 * .destination.subset}), which gives the line of a file input; {@code origin} is that {@code file:line}, or null
 * for resources read from the cluster.
 */
public record Finding(Code code, ResourceRef resource, String message, String path, String origin) {

    public static Finding of(Code code, ResourceRef resource, String path, Object... args) {
        return new Finding(code, resource, code.format(args), path, null);
    }

    public Level level() {
        return code.level();
    }

    public Finding withOrigin(String newOrigin) {
        return new Finding(code, resource, message, path, newOrigin);
    }

    /**
     * istioctl's log line: {@code Error [IST0101] (VirtualService default/reviews) Referenced host not found: "x"},
     * with {@code  file:line} after the name for file input.
     */
    public String logLine() {
        String where = resource.displayName() + (origin == null ? "" : " " + origin);
        return level().display() + " [" + code.name() + "] (" + where + ") " + message;
    }
}
