package dev.windlass.traffic.istio;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * Reads a resource's spec into the typed model, strictly: a field the model does not have is a field Windlass
 * does not implement, and it is refused with its path ("not supported by Windlass: spec.http[0].mirror_percent"),
 * never dropped. Values of the wrong type are refused with their path too.
 */
public final class IstioParser {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private IstioParser() {
    }

    public static VirtualServiceSpec virtualService(JsonNode spec) throws InvalidResourceException {
        return read(spec, VirtualServiceSpec.class);
    }

    public static DestinationRuleSpec destinationRule(JsonNode spec) throws InvalidResourceException {
        return read(spec, DestinationRuleSpec.class);
    }

    public static ServiceEntrySpec serviceEntry(JsonNode spec) throws InvalidResourceException {
        return read(spec, ServiceEntrySpec.class);
    }

    public static GatewaySpec gateway(JsonNode spec) throws InvalidResourceException {
        return read(spec, GatewaySpec.class);
    }

    /** The spec of a kind, typed; a kind Windlass does not implement is refused as a whole. */
    public static Object spec(IstioKind kind, JsonNode spec) throws InvalidResourceException {
        return switch (kind) {
            case VIRTUAL_SERVICE -> virtualService(spec);
            case DESTINATION_RULE -> destinationRule(spec);
            case SERVICE_ENTRY -> serviceEntry(spec);
            case GATEWAY -> gateway(spec);
            case PEER_AUTHENTICATION -> read(spec, PeerAuthenticationSpec.class);
            case AUTHORIZATION_POLICY -> read(spec, AuthorizationPolicySpec.class);
            case REQUEST_AUTHENTICATION -> read(spec, RequestAuthenticationSpec.class);
            case SIDECAR -> throw new InvalidResourceException(List.of(new FieldError("kind",
                    FieldError.NOT_SUPPORTED + " yet: " + kind.kind() + " (" + kind.group() + ")")));
        };
    }

    private static <T> T read(JsonNode spec, Class<T> type) throws InvalidResourceException {
        JsonNode node = spec == null || spec.isNull() ? STRICT.createObjectNode() : spec;
        try {
            return STRICT.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidResourceException(List.of(FieldError.notSupported(path(e))));
        } catch (MismatchedInputException e) {
            throw new InvalidResourceException(List.of(new FieldError(path(e), "expected " + expected(e))));
        } catch (JsonMappingException e) {
            throw new InvalidResourceException(List.of(new FieldError(path(e), e.getOriginalMessage())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidResourceException(List.of(new FieldError("spec", e.getOriginalMessage())));
        }
    }

    /** {@code spec.http[0].route[1].weight}, from Jackson's reference chain. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder("spec");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "another type";
        }
        if (target == Integer.class || target == int.class) {
            return "an integer";
        }
        if (target == Double.class) {
            return "a number";
        }
        if (target == Boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(target)) {
            return "a list";
        }
        return target.isRecord() || java.util.Map.class.isAssignableFrom(target) ? "an object" : target.getSimpleName();
    }
}
