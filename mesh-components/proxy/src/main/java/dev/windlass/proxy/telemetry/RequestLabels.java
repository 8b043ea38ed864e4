package dev.windlass.proxy.telemetry;

/**
 * The labels of one request's metrics, as Istio names them. {@code connectionSecurityPolicy} is Istio's: on the
 * server side {@code mutual_tls} or {@code none}, on the client side {@code unknown}; {@code sourcePrincipal} the
 * client's SPIFFE id, known on the server side over mTLS.
 */
public record RequestLabels(String reporter, String sourceWorkload, String sourceNamespace,
                            String destinationWorkload, String destinationNamespace, String destinationService,
                            int responseCode, String sourcePrincipal, String connectionSecurityPolicy) {

    static final String[] NAMES = {"reporter", "source_workload", "source_workload_namespace",
            "destination_workload", "destination_workload_namespace", "destination_service", "response_code",
            "source_principal", "connection_security_policy"};

    public RequestLabels(String reporter, String sourceWorkload, String sourceNamespace, String destinationWorkload,
                         String destinationNamespace, String destinationService, int responseCode) {
        this(reporter, sourceWorkload, sourceNamespace, destinationWorkload, destinationNamespace, destinationService,
                responseCode, "unknown", "unknown");
    }

    // Written out, as UpstreamPool.Key's: the generated record methods go through method handles that the sidecar's
    // C1-only JIT never inlines, and every request looks its series up by these labels.
    @Override
    public int hashCode() {
        int hash = responseCode;
        hash = hash * 31 + java.util.Objects.hashCode(reporter);
        hash = hash * 31 + java.util.Objects.hashCode(sourceWorkload);
        hash = hash * 31 + java.util.Objects.hashCode(sourceNamespace);
        hash = hash * 31 + java.util.Objects.hashCode(destinationWorkload);
        hash = hash * 31 + java.util.Objects.hashCode(destinationNamespace);
        hash = hash * 31 + java.util.Objects.hashCode(sourcePrincipal);
        hash = hash * 31 + java.util.Objects.hashCode(connectionSecurityPolicy);
        return hash * 31 + java.util.Objects.hashCode(destinationService);
    }

    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof RequestLabels that && responseCode == that.responseCode
                && java.util.Objects.equals(reporter, that.reporter)
                && java.util.Objects.equals(sourceWorkload, that.sourceWorkload)
                && java.util.Objects.equals(sourceNamespace, that.sourceNamespace)
                && java.util.Objects.equals(destinationWorkload, that.destinationWorkload)
                && java.util.Objects.equals(destinationNamespace, that.destinationNamespace)
                && java.util.Objects.equals(destinationService, that.destinationService)
                && java.util.Objects.equals(sourcePrincipal, that.sourcePrincipal)
                && java.util.Objects.equals(connectionSecurityPolicy, that.connectionSecurityPolicy);
    }

    String[] values() {
        return new String[]{reporter, sourceWorkload, sourceNamespace, destinationWorkload, destinationNamespace,
                destinationService, String.valueOf(responseCode), sourcePrincipal, connectionSecurityPolicy};
    }
}
