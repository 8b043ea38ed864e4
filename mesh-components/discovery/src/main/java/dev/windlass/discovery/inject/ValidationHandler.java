package dev.windlass.discovery.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.injector.InjectorJson;
import dev.windlass.traffic.istio.FieldError;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.validation.IstioValidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The traffic API's validating webhook ({@code POST /validate}): one AdmissionReview (admission.k8s.io/v1) in, its
 * answer out, with no sockets, so that it is tested directly. It never throws.
 *
 * <p>For a CREATE or UPDATE of a networking.istio.io VirtualService, DestinationRule, Gateway or ServiceEntry in
 * any served version, it runs {@link IstioValidation} on {@code spec} (and a Gateway's name): strict parsing (a
 * field Windlass does not implement is refused by name; ServiceEntry as a whole, until it is implemented) and
 * Istio's rules.
 * A refusal reads as Istio's does, {@code configuration is invalid: <error>; <error>}, each error with its field's
 * path, with status code 400. Top-level fields other than apiVersion, kind, metadata, spec and status are refused
 * with Istio's {@code unknown field "x" on VirtualService resource ns/name}.
 *
 * <p>Allowed without validation: other operations, subresources (status), objects being deleted, and updates that
 * leave the spec as it is. The last two keep labels, annotations and finalizers of objects stored before the
 * webhook existed (a Gateway from an Istio install) writable, so that no deletion ever waits on a spec that can no
 * longer be fixed. A request that cannot be read is answered with code 400 and what is wrong with it; a failure of
 * our own refuses with code 500 (the apiserver would refuse anyway with failurePolicy Fail) and is logged.
 */
public final class ValidationHandler {
    static final String INVALID = "configuration is invalid: ";
    private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final Logger LOG = LoggerFactory.getLogger(ValidationHandler.class);
    private final Metrics metrics;

    public ValidationHandler(Metrics metrics) {
        this.metrics = metrics;
    }

    /** What to answer; {@code result} is the metric's label. */
    private record Decision(boolean allowed, int code, String message, String result) {
        static Decision allow() {
            return new Decision(true, 200, null, "allowed");
        }

        static Decision refuse(String message) {
            return new Decision(false, 400, message, "refused");
        }

        static Decision badRequest(String message) {
            return new Decision(false, 400, message, "error");
        }
    }

    /** The AdmissionReview answering {@code review}; its response's uid is empty when the request had none. */
    public ObjectNode handle(JsonNode review) {
        JsonNode request = review == null ? MissingNode.getInstance() : review.path("request");
        ObjectNode answer = InjectorJson.JSON.createObjectNode()
                .put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode response = answer.putObject("response").put("uid", request.path("uid").asText(""));
        JsonNode gvk = request.path("kind");
        Optional<IstioKind> kind = IstioKind.served(gvk.path("group").asText(), gvk.path("version").asText(),
                gvk.path("kind").asText());
        Decision decision;
        try {
            decision = decide(request, kind);
        } catch (RuntimeException e) {
            LOG.error("validating {} failed; refusing it", where(request), e);
            decision = new Decision(false, 500, "windlass: the configuration could not be validated (" + e
                    + "); see the windlass-discovery log", "error");
        }
        metrics.validation(kind.map(IstioKind::kind).orElse("unknown"), decision.result());
        response.put("allowed", decision.allowed());
        if (!decision.allowed()) {
            response.putObject("status").put("code", decision.code()).put("message", decision.message());
            LOG.info("{} refused: {}", where(request), decision.message());
        }
        return answer;
    }

    private static Decision decide(JsonNode request, Optional<IstioKind> kind) {
        if (!request.isObject() || request.path("uid").asText("").isEmpty()) {
            return Decision.badRequest("not an AdmissionReview with request.uid");
        }
        String operation = request.path("operation").asText();
        if (!operation.equals("CREATE") && !operation.equals("UPDATE") || !request.path("subResource").asText("").isEmpty()) {
            return Decision.allow();
        }
        JsonNode gvk = request.path("kind");
        if (kind.isEmpty()) {
            return Decision.badRequest("unrecognized type " + gvk.path("group").asText() + "/"
                    + gvk.path("version").asText() + ", Kind=" + gvk.path("kind").asText());
        }
        JsonNode object = request.path("object");
        if (!object.isObject()) {
            return Decision.badRequest("cannot decode configuration: request.object is not a JSON object");
        }
        if (object.path("metadata").hasNonNull("deletionTimestamp")) {
            return Decision.allow();
        }
        Optional<String> unknown = unknownTopLevelField(object);
        if (unknown.isPresent()) {
            return Decision.refuse("unknown field \"" + unknown.get() + "\" on " + kind.get().kind() + " resource "
                    + request.path("namespace").asText() + "/" + object.path("metadata").path("name").asText());
        }
        if (operation.equals("UPDATE") && object.path("spec").equals(request.path("oldObject").path("spec"))) {
            return Decision.allow();
        }
        List<FieldError> errors = IstioValidation.errors(kind.get(), object.path("metadata").path("name").asText(null),
                object.get("spec"));
        return errors.isEmpty() ? Decision.allow()
                : Decision.refuse(INVALID + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    }

    private static Optional<String> unknownTopLevelField(JsonNode object) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TOP_LEVEL.contains(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static String where(JsonNode request) {
        return request.path("kind").path("kind").asText("?") + " " + request.path("namespace").asText("") + "/"
                + request.path("object").path("metadata").path("name").asText(request.path("name").asText(""));
    }
}
