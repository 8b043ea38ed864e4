package dev.windlass.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The built-in profiles and platform overlays, read from {@code profiles/} on the classpath. */
public final class ProfileCatalog {
    public static final List<String> PROFILES = List.of("default", "demo", "minimal", "empty", "preview");
    public static final List<String> PLATFORMS = List.of("kind", "local");
    private static final Set<String> FILE_KEYS = Set.of("description", "spec", "gatewayDefaults");
    private static final ProfileCatalog BUILT_IN = new ProfileCatalog();

    private final Profile base;
    private final Map<String, Profile> profiles;
    private final Map<String, Profile> platforms;

    private ProfileCatalog() {
        base = read("base", "profiles/base.yaml");
        profiles = PROFILES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                name -> read(name, "profiles/" + name + ".yaml")));
        platforms = PLATFORMS.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                name -> read(name, "profiles/platform/" + name + ".yaml")));
    }

    public static ProfileCatalog builtIn() {
        return BUILT_IN;
    }

    public Profile base() {
        return base;
    }

    public Profile profile(String name) {
        Profile profile = profiles.get(name);
        if (profile == null) {
            throw new ValuesException("profile", "", "unknown profile '" + name + "'; known profiles: " + String.join(", ", PROFILES));
        }
        return profile;
    }

    public Profile platform(String name) {
        Profile platform = platforms.get(name);
        if (platform == null) {
            throw new ValuesException("platform", "", "unknown platform '" + name + "'; known platforms: " + String.join(", ", PLATFORMS));
        }
        return platform;
    }

    private static Profile read(String name, String resource) {
        try (InputStream in = ProfileCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            JsonNode file = Yaml.MAPPER.readTree(in);
            file.fieldNames().forEachRemaining(key -> {
                if (!FILE_KEYS.contains(key)) {
                    throw new ValuesException(resource, key, "unknown key; a profile file has " + FILE_KEYS);
                }
            });
            ObjectNode spec = objectOrEmpty(file.get("spec"));
            ObjectNode gatewayDefaults = objectOrEmpty(file.get("gatewayDefaults"));
            SpecSchema.get().validateLayer(resource, spec);
            validateGatewayDefaults(resource, gatewayDefaults);
            return new Profile(name, file.path("description").asText(), spec, gatewayDefaults);
        } catch (IOException e) {
            throw new UncheckedIOException(resource + ": " + e.getMessage(), e);
        }
    }

    private static void validateGatewayDefaults(String resource, ObjectNode gatewayDefaults) {
        gatewayDefaults.properties().forEach(entry -> {
            String list = switch (entry.getKey()) {
                case "ingress" -> "ingressGateways";
                case "egress" -> "egressGateways";
                default -> throw new ValuesException(resource, "gatewayDefaults." + entry.getKey(), "unknown key; use ingress or egress");
            };
            SpecSchema.get().validateLayer(resource + " gatewayDefaults." + entry.getKey(), entry.getValue(),
                    SpecSchema.get().at("components", list, "items"));
        });
    }

    private static ObjectNode objectOrEmpty(JsonNode node) {
        return node instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
    }
}
