package dev.windlass.discovery.model;

/**
 * One TCP port of a Service. The target port is either a number or the name of a container port
 * ({@code targetPortName} non-null), which only the selected pod can resolve.
 */
public record ServicePortModel(String name, int port, int targetPort, String targetPortName, Protocol protocol) {
    public ServicePortModel {
        name = name == null ? "" : name;
    }

    /** The container port this Service port reaches on {@code pod}, or -1 when a named port is not declared. */
    public int targetPortOn(PodModel pod) {
        if (targetPortName == null) {
            return targetPort > 0 ? targetPort : port;
        }
        return pod.containerPorts().getOrDefault(targetPortName, -1);
    }
}
