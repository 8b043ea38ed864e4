package dev.windlass.traffic.istio.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.traffic.istio.AuthorizationPolicySpec;
import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.FieldError;
import dev.windlass.traffic.istio.GatewaySpec;
import dev.windlass.traffic.istio.InvalidResourceException;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.IstioParser;
import dev.windlass.traffic.istio.PeerAuthenticationSpec;
import dev.windlass.traffic.istio.RequestAuthenticationSpec;
import dev.windlass.traffic.istio.ServiceEntrySpec;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.List;

/**
 * The one entry point for checking an Istio resource, used by the admission webhook, the discovery server's
 * informers and {@code windlass analyze}: strict parsing (unknown and unimplemented fields refused), then
 * Istio's validation rules. Every error names its field's path.
 */
public final class IstioValidation {
    private IstioValidation() {
    }

    /** The typed spec, or every error found. */
    public static Object parseAndValidate(IstioKind kind, JsonNode spec) throws InvalidResourceException {
        return parseAndValidate(kind, null, spec);
    }

    /** The same, with the resource's name checked where Istio checks it (a Gateway's is a DNS label); null skips it. */
    public static Object parseAndValidate(IstioKind kind, String name, JsonNode spec) throws InvalidResourceException {
        Object typed = IstioParser.spec(kind, spec);
        Errors errors = new Errors();
        switch (typed) {
            case VirtualServiceSpec vs -> VirtualServiceRules.check(vs, errors);
            case DestinationRuleSpec dr -> DestinationRuleRules.check(dr, errors);
            case ServiceEntrySpec se -> ServiceEntryRules.check(se, errors);
            case GatewaySpec gw -> {
                if (name != null && !Values.dnsLabel(name)) {
                    errors.add("metadata.name", "invalid gateway name: \"" + name + "\"");
                }
                GatewayRules.check(gw, errors);
            }
            case PeerAuthenticationSpec pa -> PeerAuthenticationRules.check(pa, errors);
            case AuthorizationPolicySpec ap -> AuthorizationPolicyRules.check(ap, errors);
            case RequestAuthenticationSpec ra -> RequestAuthenticationRules.check(ra, errors);
            default -> throw new IllegalStateException("no rules for " + kind);
        }
        List<FieldError> found = errors.list();
        if (!found.isEmpty()) {
            throw new InvalidResourceException(found);
        }
        return typed;
    }

    /** Every error of a resource; empty when it is valid. */
    public static List<FieldError> errors(IstioKind kind, JsonNode spec) {
        return errors(kind, null, spec);
    }

    public static List<FieldError> errors(IstioKind kind, String name, JsonNode spec) {
        try {
            parseAndValidate(kind, name, spec);
            return List.of();
        } catch (InvalidResourceException e) {
            return e.errors();
        }
    }
}
