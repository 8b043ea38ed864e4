package dev.windlass.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.contract.Revisions;
import dev.windlass.injector.InjectorConfig;
import dev.windlass.injector.InjectorJson;
import dev.windlass.profiles.ResolvedValues;
import dev.windlass.profiles.render.MeshRenderer;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Where kube-inject's template and values come from: a ConfigMap file, or the profiles renderer. */
record KubeInjectConfig(InjectorConfig config, String meshNamespace) {
    private static final String DEFAULT_NAMESPACE = "windlass-system";

    /** The injector ConfigMap exactly as the operator would install it for these values and revision. */
    static KubeInjectConfig rendered(ValuesOptions values, String revision) {
        ResolvedValues resolved = values.resolve();
        String name = Revisions.revisioned(Revisions.INJECTOR, revision);
        for (HasMetadata object : new MeshRenderer(VersionCatalog.builtIn()).render(values.instance(), resolved.spec(), revision, false)) {
            if (object instanceof ConfigMap cm && name.equals(cm.getMetadata().getName())) {
                return new KubeInjectConfig(InjectorConfig.parse(cm.getData()), resolved.spec().namespace());
            }
        }
        throw new IllegalStateException("the renderer made no ConfigMap " + name);
    }

    /** A ConfigMap document (kind ConfigMap), or just its data (template.yaml and values.yaml as keys). */
    static KubeInjectConfig fromFile(Path file, String revision) {
        JsonNode document = readYaml(file);
        boolean configMap = "ConfigMap".equals(document.path("kind").asText());
        JsonNode data = configMap ? document.path("data") : document;
        InjectorConfig config;
        try {
            config = InjectorConfig.parse(InjectorJson.JSON.convertValue(data, new TypeReference<Map<String, String>>() {
            }));
        } catch (IllegalArgumentException e) {
            throw new InputException("--injector-config " + file + ": " + e.getMessage());
        }
        if (revision != null && !revision.equals(config.revision())) {
            throw new InputException("--revision " + revision + ": --injector-config " + file + " is revision " + config.revision());
        }
        String namespace = document.path("metadata").path("namespace").asText(DEFAULT_NAMESPACE);
        return new KubeInjectConfig(config, configMap ? namespace : DEFAULT_NAMESPACE);
    }

    private static JsonNode readYaml(Path file) {
        try {
            JsonNode document = InjectorJson.YAML.readTree(Files.readString(file));
            if (document == null || !document.isObject()) {
                throw new InputException("--injector-config " + file + ": expected a ConfigMap");
            }
            return document;
        } catch (NoSuchFileException e) {
            throw new InputException("--injector-config " + file + ": no such file");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InputException("--injector-config " + file + (at == null ? "" : ":" + at.getLineNr())
                    + ": not valid YAML");
        } catch (IOException e) {
            throw new InputException("--injector-config " + file + ": cannot read: " + e.getMessage());
        }
    }
}
