package dev.windlass.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The policies of an Envoy route, compiled for the data path: header edits, retries, mirrors, and the fault and
 * CORS filters' per-route configs. Anything the proxy would not carry out as Envoy does is refused, so that the
 * discovery server hears of it (NACK) instead of the route quietly behaving differently.
 */
final class RoutePolicyTranslator {
    private static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";
    private static final Set<String> RETRY_POLICY = Set.of("retry_on", "num_retries", "per_try_timeout",
            "retriable_status_codes", "retry_host_predicate", "host_selection_retry_max_attempts");
    static final String FAULT_FILTER = "envoy.filters.http.fault";
    static final String CORS_FILTER = "envoy.filters.http.cors";
    private static final Set<String> KNOWN_FILTERS = Set.of(FAULT_FILTER, CORS_FILTER);

    private RoutePolicyTranslator() {
    }

    static HeaderMutation headers(List<HeaderValueOption> add, List<String> remove) throws InvalidConfigException {
        List<HeaderMutation.Edit> edits = new ArrayList<>();
        for (HeaderValueOption option : add) {
            String name = option.getHeader().getKey().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.startsWith(":") || name.equals("host")) {
                throw new InvalidConfigException("header edit of \"" + name + "\" is not supported");
            }
            boolean append = switch (option.getAppendAction()) {
                case APPEND_IF_EXISTS_OR_ADD -> !option.hasAppend() || option.getAppend().getValue();
                case OVERWRITE_IF_EXISTS_OR_ADD -> false;
                default -> throw new InvalidConfigException("header append action " + option.getAppendAction()
                        + " is not supported");
            };
            edits.add(new HeaderMutation.Edit(AsciiString.cached(name),
                    HeaderMutation.unescape(option.getHeader().getValue()), append));
        }
        List<AsciiString> removals = remove.stream().map(h -> AsciiString.cached(h.toLowerCase(Locale.ROOT))).toList();
        return edits.isEmpty() && removals.isEmpty() ? HeaderMutation.NONE : new HeaderMutation(edits, removals);
    }

    static long nanos(Duration d) {
        return d.getSeconds() * 1_000_000_000L + d.getNanos();
    }

    static RetryConfig retry(io.envoyproxy.envoy.config.route.v3.RetryPolicy policy) throws InvalidConfigException {
        ProtoFields.only(policy, "retry_policy", RETRY_POLICY);
        for (var predicate : policy.getRetryHostPredicateList()) {
            if (!predicate.getName().equals(PREVIOUS_HOSTS)) {
                throw new InvalidConfigException("retry_policy: retry host predicate " + predicate.getName()
                        + " is not supported by Windlass (" + PREVIOUS_HOSTS + " is)");
            }
        }
        Set<RetryConfig.Condition> conditions = EnumSet.noneOf(RetryConfig.Condition.class);
        for (String part : policy.getRetryOn().split(",")) {
            if (!part.isBlank()) {
                conditions.add(RetryConfig.Condition.of(part.trim()));
            }
        }
        int retries = policy.hasNumRetries() ? policy.getNumRetries().getValue() : 1;
        boolean previousHosts = policy.getRetryHostPredicateList().stream()
                .anyMatch(p -> p.getName().equals(PREVIOUS_HOSTS));
        int[] codes = policy.getRetriableStatusCodesList().stream().mapToInt(Integer::intValue).toArray();
        long perTry = policy.hasPerTryTimeout() ? nanos(policy.getPerTryTimeout()) : 0;
        long attempts = policy.getHostSelectionRetryMaxAttempts();
        return new RetryConfig(retries, perTry, RetryConfig.flags(conditions), codes, previousHosts,
                (int) Math.max(1, Math.min(attempts, 16)));
    }

    static List<MirrorConfig> mirrors(RouteAction action) throws InvalidConfigException {
        List<MirrorConfig> mirrors = new ArrayList<>();
        for (RouteAction.RequestMirrorPolicy policy : action.getRequestMirrorPoliciesList()) {
            ProtoFields.only(policy, "request_mirror_policies", Set.of("cluster", "runtime_fraction"));
            int perMillion = policy.hasRuntimeFraction() ? perMillion(policy.getRuntimeFraction().getDefaultValue())
                    : 1_000_000;
            mirrors.add(new MirrorConfig(policy.getCluster(), perMillion));
        }
        return mirrors;
    }

    static int perMillion(FractionalPercent percent) {
        long scale = switch (percent.getDenominator()) {
            case HUNDRED -> 10_000;
            case TEN_THOUSAND -> 100;
            default -> 1;
        };
        return (int) Math.min(1_000_000, percent.getNumerator() * scale);
    }

    /** The route's fault filter config, or null. */
    static FaultConfig fault(Route route) throws InvalidConfigException {
        checkFilterConfigs(route);
        Any any = route.getTypedPerFilterConfigMap().get(FAULT_FILTER);
        if (any == null) {
            return null;
        }
        HTTPFault fault = unpack(any, HTTPFault.class);
        long delay = fault.hasDelay() && fault.getDelay().hasFixedDelay() ? nanos(fault.getDelay().getFixedDelay()) : 0;
        if (fault.hasDelay() && !fault.getDelay().hasFixedDelay()) {
            throw new InvalidConfigException("route " + route.getName() + ": only fixed fault delays are supported");
        }
        int delayShare = fault.hasDelay() ? share(fault.getDelay().hasPercentage(), fault.getDelay().getPercentage()) : 0;
        int httpStatus = 0;
        int grpcStatus = -1;
        int abortShare = 0;
        if (fault.hasAbort()) {
            var abort = fault.getAbort();
            switch (abort.getErrorTypeCase()) {
                case HTTP_STATUS -> httpStatus = abort.getHttpStatus();
                case GRPC_STATUS -> grpcStatus = abort.getGrpcStatus();
                default -> throw new InvalidConfigException("route " + route.getName() + ": fault abort "
                        + abort.getErrorTypeCase() + " is not supported");
            }
            abortShare = share(abort.hasPercentage(), abort.getPercentage());
        }
        return new FaultConfig(delay, delayShare, httpStatus, grpcStatus, abortShare);
    }

    /** Envoy's default percentage when none is given is 100 %. */
    private static int share(boolean present, FractionalPercent percent) {
        return present ? perMillion(percent) : 1_000_000;
    }

    /** The route's CORS policy, or null. */
    static CorsConfig cors(Route route) throws InvalidConfigException {
        Any any = route.getTypedPerFilterConfigMap().get(CORS_FILTER);
        if (any == null) {
            return null;
        }
        CorsPolicy policy = unpack(any, CorsPolicy.class);
        List<StringMatch> origins = new ArrayList<>();
        for (StringMatcher matcher : policy.getAllowOriginStringMatchList()) {
            origins.add(RouteTranslator.stringMatch(matcher));
        }
        return new CorsConfig(origins, policy.getAllowMethods(), policy.getAllowHeaders(), policy.getExposeHeaders(),
                policy.getMaxAge(), policy.hasAllowCredentials() && policy.getAllowCredentials().getValue(),
                !policy.hasForwardNotMatchingPreflights() || policy.getForwardNotMatchingPreflights().getValue());
    }

    private static void checkFilterConfigs(Route route) throws InvalidConfigException {
        for (String filter : route.getTypedPerFilterConfigMap().keySet()) {
            if (!KNOWN_FILTERS.contains(filter)) {
                throw new InvalidConfigException("route " + route.getName() + ": per-route config for " + filter
                        + " is not supported");
            }
        }
    }

    private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) throws InvalidConfigException {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidConfigException("cannot decode " + any.getTypeUrl(), e);
        }
    }
}
