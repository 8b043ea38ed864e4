package dev.windlass.traffic.istio;

/** Where traffic goes: a host (short name, FQDN, or ServiceEntry host), an optional subset and port. */
public record Destination(String host, String subset, PortSelector port) {

    /** Istio's PortSelector: only the number form exists in the v1 API. */
    public record PortSelector(Integer number) {
    }

    /** The port number, or 0 when none is given. */
    public int portNumber() {
        return port == null || port.number() == null ? 0 : port.number();
    }

    public String subsetOrEmpty() {
        return subset == null ? "" : subset;
    }
}
