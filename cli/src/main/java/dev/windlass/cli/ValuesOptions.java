package dev.windlass.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.ResolvedValues;
import dev.windlass.profiles.SetFlag;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.profiles.Yaml;
import dev.windlass.upgrade.VersionCatalog;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The options that pick a mesh's values: a MeshControlPlane file, a profile, a platform and --set overrides. */
final class ValuesOptions {
    @Option(names = {"-f", "--filename"}, description = "A MeshControlPlane YAML file.")
    Path file;

    @Option(names = "--profile", description = "Profile: ${COMPLETION-CANDIDATES}. Overrides the file's spec.profile.",
            completionCandidates = ProfileNames.class)
    String profile;

    @Option(names = "--set", description = "Override one value, e.g. components.discovery.k8s.replicas=2. Repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--platform", description = "Platform overlay: kind or local (gateway Services become NodePort).")
    String platform;

    private String instance = "windlass";

    ResolvedValues resolve() {
        ValuesLayer user = readFile();
        List<SetFlag> overrides = new ArrayList<>();
        if (profile != null) {
            overrides.add(SetFlag.parse("profile=" + profile));
        }
        sets.stream().map(SetFlag::parse).forEach(overrides::add);
        return new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn()).resolve(user, overrides, Optional.ofNullable(platform));
    }

    /**
     * The spec to put in a MeshControlPlane: the file's spec with --profile and --set applied, unmerged (the
     * operator merges), with the version pinned to the newest in the catalog when none is given.
     */
    ObjectNode userSpec() {
        resolve(); // refuse bad input offline, naming the file or flag, before anything touches the cluster
        ObjectNode spec = readFile().spec().deepCopy();
        if (profile != null) {
            SetFlag.parse("profile=" + profile).applyTo(spec);
        }
        sets.stream().map(SetFlag::parse).forEach(set -> set.applyTo(spec));
        if (!spec.hasNonNull("version")) {
            spec.put("version", VersionCatalog.builtIn().latest().version().toString());
        }
        return spec;
    }

    /** The MeshControlPlane's name, from the file's metadata.name; "windlass" without a file. */
    String instance() {
        return instance;
    }

    private ValuesLayer readFile() {
        if (file == null) {
            return new ValuesLayer("flags", JsonNodeFactory.instance.objectNode());
        }
        JsonNode document;
        try {
            document = Yaml.MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InputException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": not valid YAML: " + yamlProblem(e));
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage());
        }
        if (document == null || !document.isObject()) {
            throw new InputException(file + ": expected a MeshControlPlane document");
        }
        String kind = document.path("kind").asText();
        String apiVersion = document.path("apiVersion").asText();
        String expected = MeshControlPlane.GROUP + "/" + MeshControlPlane.VERSION;
        if (!"MeshControlPlane".equals(kind) || !expected.equals(apiVersion)) {
            throw new InputException(file + ": expected kind MeshControlPlane, apiVersion " + expected
                    + "; found kind '" + kind + "', apiVersion '" + apiVersion + "'");
        }
        instance = document.path("metadata").path("name").asText("windlass");
        JsonNode spec = document.path("spec");
        if (!spec.isMissingNode() && !spec.isObject()) {
            throw new InputException(file + ": spec: must be a map");
        }
        return new ValuesLayer(file.toString(), spec.isObject() ? (ObjectNode) spec : JsonNodeFactory.instance.objectNode());
    }

    /** SnakeYAML's message spans several lines with a drawing of the spot; the location is already in ours. */
    private static String yamlProblem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            return marked.getProblem();
        }
        return e.getOriginalMessage().lines().findFirst().orElse("");
    }

    static final class ProfileNames extends ArrayList<String> {
        ProfileNames() {
            super(ProfileCatalog.PROFILES);
        }
    }
}
