package dev.windlass.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.api.v1alpha1.MeshControlPlaneSpec;
import dev.windlass.upgrade.VersionCatalog;

import java.util.List;
import java.util.Optional;

/**
 * Resolves the values of a mesh, each layer over the one before: built-in base, profile, platform overlay,
 * the user's spec, then {@code --set} overrides. Every layer is checked on its own first, so that an error
 * names the file or flag it came from.
 */
public final class ValuesResolver {
    /** Binding only: the values were already checked against the CRD schema, which is stricter. */
    private static final ObjectMapper BINDER = Yaml.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ProfileCatalog profiles;
    private final VersionCatalog versions;

    public ValuesResolver(ProfileCatalog profiles, VersionCatalog versions) {
        this.profiles = profiles;
        this.versions = versions;
    }

    /**
     * @param user     the user's spec, or an empty layer
     * @param sets     {@code --set} overrides, applied last in order
     * @param platform a platform overlay name, if any
     */
    public ResolvedValues resolve(ValuesLayer user, List<SetFlag> sets, Optional<String> platform) {
        SpecSchema schema = SpecSchema.get();
        schema.validateLayer(user.source(), user.spec());
        UnsupportedSettings.check(user.source(), user.spec());
        for (SetFlag set : sets) {
            schema.validateLayer(set.source(), set.asSparseTree());
            UnsupportedSettings.check(set.source(), set.asSparseTree());
        }

        Profile profile = profiles.profile(chosenProfile(user, sets));
        Optional<Profile> overlay = platform.map(profiles::platform);
        ObjectNode tree = ValuesMerge.merge(profiles.base().spec(), profile.spec());
        ObjectNode gatewayDefaults = ValuesMerge.merge(profiles.base().gatewayDefaults(), profile.gatewayDefaults());
        if (overlay.isPresent()) {
            tree = ValuesMerge.merge(tree, overlay.get().spec());
            gatewayDefaults = ValuesMerge.merge(gatewayDefaults, overlay.get().gatewayDefaults());
        }
        tree = ValuesMerge.merge(tree, user.spec());
        for (SetFlag set : sets) {
            set.applyTo(tree);
        }
        tree.put("profile", profile.name());
        if (!tree.hasNonNull("version")) {
            tree.put("version", versions.latest().version().toString());
        }
        applyGatewayDefaults(tree, gatewayDefaults);
        schema.validateComplete("merged values", tree);
        UnsupportedSettings.check("merged values", tree);
        requireKnownVersion(tree.path("version").asText());
        return new ResolvedValues(bind(tree), tree);
    }

    private static String chosenProfile(ValuesLayer user, List<SetFlag> sets) {
        ObjectNode probe = user.spec().deepCopy();
        sets.forEach(set -> set.applyTo(probe));
        JsonNode name = probe.get("profile");
        return name == null || name.isNull() ? "default" : name.asText();
    }

    private static void applyGatewayDefaults(ObjectNode tree, ObjectNode gatewayDefaults) {
        JsonNode components = tree.path("components");
        expand(components.get("ingressGateways"), gatewayDefaults.path("ingress"));
        expand(components.get("egressGateways"), gatewayDefaults.path("egress"));
    }

    private static void expand(JsonNode gateways, JsonNode defaults) {
        if (!(gateways instanceof ArrayNode list) || !(defaults instanceof ObjectNode template)) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            list.set(i, ValuesMerge.merge(template, item instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode()));
        }
    }

    private void requireKnownVersion(String version) {
        if (versions.find(version).isEmpty()) {
            throw new ValuesException("merged values", "version",
                    version + " is not in the catalog; installable versions: " + versions.versionList());
        }
    }

    private static MeshControlPlaneSpec bind(ObjectNode tree) {
        try {
            return BINDER.treeToValue(tree, MeshControlPlaneSpec.class);
        } catch (JsonProcessingException e) {
            throw new ValuesException("merged values", "", e.getOriginalMessage());
        }
    }
}
