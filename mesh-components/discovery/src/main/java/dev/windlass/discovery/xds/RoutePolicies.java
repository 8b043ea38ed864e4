package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import dev.windlass.discovery.routing.CorsRules;
import dev.windlass.discovery.routing.FaultPolicy;
import dev.windlass.discovery.routing.HeaderEdits;
import dev.windlass.discovery.routing.RetryPolicy;
import dev.windlass.discovery.routing.TextMatch;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy.RetryHostPredicate;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.type.v3.FractionalPercent;

import java.util.List;
import java.util.Map;

/** The per-route policies of the routing model as Envoy messages: retries, faults, CORS, header edits, percentages. */
final class RoutePolicies {
    static final String FAULT_FILTER = "envoy.filters.http.fault";
    static final String CORS_FILTER = "envoy.filters.http.cors";
    static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";
    /** gRPC status names (Istio's grpcStatus) to codes (Envoy's). */
    private static final List<String> GRPC_CODES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED");

    private RoutePolicies() {
    }

    static Duration duration(java.time.Duration d) {
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    /** Istio's retry translation: previous hosts are avoided, five host selections at most. */
    static io.envoyproxy.envoy.config.route.v3.RetryPolicy retry(RetryPolicy policy) {
        var retry = io.envoyproxy.envoy.config.route.v3.RetryPolicy.newBuilder()
                .setRetryOn(policy.retryOn())
                .setNumRetries(UInt32Value.of(policy.attempts()))
                .addRetryHostPredicate(RetryHostPredicate.newBuilder().setName(PREVIOUS_HOSTS)
                        .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())))
                .setHostSelectionRetryMaxAttempts(5)
                .addAllRetriableStatusCodes(policy.statusCodes());
        if (policy.perTryTimeout() != null) {
            retry.setPerTryTimeout(duration(policy.perTryTimeout()));
        }
        return retry.build();
    }

    static Any fault(FaultPolicy fault) {
        HTTPFault.Builder http = HTTPFault.newBuilder();
        if (fault.delay() != null) {
            http.setDelay(FaultDelay.newBuilder().setFixedDelay(duration(fault.delay().fixed()))
                    .setPercentage(percent(fault.delay().percent())));
        }
        if (fault.abort() != null) {
            FaultAbort.Builder abort = FaultAbort.newBuilder().setPercentage(percent(fault.abort().percent()));
            if (fault.abort().grpcStatus() != null) {
                abort.setGrpcStatus(grpcCode(fault.abort().grpcStatus()));
            } else {
                abort.setHttpStatus(fault.abort().httpStatus());
            }
            http.setAbort(abort);
        }
        return Any.pack(http.build());
    }

    static int grpcCode(String name) {
        int code = GRPC_CODES.indexOf(name);
        return code >= 0 ? code : Integer.parseInt(name);
    }

    /** A percentage with Envoy's finest denominator, so 0.1 % stays 0.1 %. */
    static FractionalPercent percent(double percent) {
        return FractionalPercent.newBuilder().setNumerator((int) Math.round(percent * 10_000))
                .setDenominator(FractionalPercent.DenominatorType.MILLION).build();
    }

    static RuntimeFractionalPercent runtimePercent(double percent) {
        return RuntimeFractionalPercent.newBuilder().setDefaultValue(percent(percent)).build();
    }

    static Any cors(CorsRules cors) {
        CorsPolicy.Builder policy = CorsPolicy.newBuilder()
                .setForwardNotMatchingPreflights(BoolValue.of(cors.forwardUnmatchedPreflights()));
        for (TextMatch origin : cors.allowOrigins()) {
            policy.addAllowOriginStringMatch(RouteMatches.string(origin));
        }
        if (!cors.allowMethods().isEmpty()) {
            policy.setAllowMethods(String.join(",", cors.allowMethods()));
        }
        if (!cors.allowHeaders().isEmpty()) {
            policy.setAllowHeaders(String.join(",", cors.allowHeaders()));
        }
        if (!cors.exposeHeaders().isEmpty()) {
            policy.setExposeHeaders(String.join(",", cors.exposeHeaders()));
        }
        if (cors.maxAge() != null) {
            policy.setMaxAge(String.valueOf(cors.maxAge().getSeconds()));
        }
        if (cors.allowCredentials() != null) {
            policy.setAllowCredentials(BoolValue.of(cors.allowCredentials()));
        }
        return Any.pack(policy.build());
    }

    /** {@code set} overwrites, {@code add} appends: Envoy's append actions for the two. */
    static List<HeaderValueOption> headerOptions(HeaderEdits edits) {
        List<HeaderValueOption> options = new java.util.ArrayList<>();
        addOptions(options, edits.set(), HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
        addOptions(options, edits.add(), HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD);
        return options;
    }

    private static void addOptions(List<HeaderValueOption> options, Map<String, String> headers,
                                   HeaderValueOption.HeaderAppendAction action) {
        headers.forEach((name, value) -> options.add(HeaderValueOption.newBuilder()
                .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value)).setAppendAction(action).build()));
    }
}
