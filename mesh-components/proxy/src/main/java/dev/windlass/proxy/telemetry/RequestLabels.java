package dev.windlass.proxy.telemetry;

/** The labels of one request's metrics, as Istio names them. */
public record RequestLabels(String reporter, String sourceWorkload, String sourceNamespace,
                            String destinationWorkload, String destinationNamespace, String destinationService,
                            int responseCode) {

    static final String[] NAMES = {"reporter", "source_workload", "source_workload_namespace",
            "destination_workload", "destination_workload_namespace", "destination_service", "response_code"};

    String[] values() {
        return new String[]{reporter, sourceWorkload, sourceNamespace, destinationWorkload, destinationNamespace,
                destinationService, String.valueOf(responseCode)};
    }
}
