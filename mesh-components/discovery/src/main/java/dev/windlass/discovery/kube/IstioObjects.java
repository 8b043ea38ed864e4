package dev.windlass.discovery.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.discovery.model.IstioConfig;
import dev.windlass.traffic.istio.InvalidResourceException;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.validation.IstioValidation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.time.Instant;

/**
 * Istio resources as the informers deliver them (untyped) to the typed model: parsed strictly and validated
 * with the same rules as the admission webhook, since objects written while the webhook was down (or before it
 * existed) were never checked. One that fails is kept as rejected, for its status, and never translated.
 */
public final class IstioObjects {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IstioObjects() {
    }

    /** Either a usable resource or a rejected one. */
    public sealed interface Converted {
    }

    public record Usable(IstioResource<?> resource) implements Converted {
    }

    public record Unusable(IstioConfig.Rejected rejected) implements Converted {
    }

    public static Converted convert(IstioKind kind, GenericKubernetesResource object) {
        ObjectMeta meta = object.getMetadata();
        long generation = meta.getGeneration() == null ? 0 : meta.getGeneration();
        JsonNode spec = JSON.valueToTree(object.getAdditionalProperties().get("spec"));
        try {
            Object typed = IstioValidation.parseAndValidate(kind, meta.getName(), spec);
            return new Usable(new IstioResource<>(kind, meta.getNamespace(), meta.getName(), created(meta), generation, typed));
        } catch (InvalidResourceException e) {
            return new Unusable(new IstioConfig.Rejected(kind, meta.getNamespace(), meta.getName(), generation, e.errors()));
        }
    }

    private static Instant created(ObjectMeta meta) {
        try {
            return meta.getCreationTimestamp() == null ? Instant.EPOCH : Instant.parse(meta.getCreationTimestamp());
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
