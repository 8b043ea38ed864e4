package dev.windlass.olm;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether new CRDs can replace the previous release's (the baseline) on a cluster that has objects of them:
 * <ul>
 *   <li>a baseline CRD must still be there;</li>
 *   <li>a version that was the storage version must still be there and served (its objects sit in etcd in it);</li>
 *   <li>a served version must stay served unless the baseline marked it {@code deprecated: true};</li>
 *   <li>a field of a version kept must stay, with the same type, unless the baseline's description of it (or of a
 *       field above it) starts with "Deprecated".</li>
 * </ul>
 * New CRDs, versions and fields are always allowed. Each problem is one line naming the CRD, version and field.
 */
public final class CrdCompatibility {
    private CrdCompatibility() {
    }

    public static List<String> check(List<CustomResourceDefinition> baseline, List<CustomResourceDefinition> current) {
        List<String> problems = new ArrayList<>();
        for (CustomResourceDefinition before : baseline) {
            String name = before.getMetadata().getName();
            Optional<CustomResourceDefinition> after = current.stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
            if (after.isEmpty()) {
                problems.add(name + ": the CRD was removed");
                continue;
            }
            for (CustomResourceDefinitionVersion version : before.getSpec().getVersions()) {
                checkVersion(name, version, find(after.get(), version.getName()), problems);
            }
        }
        return problems;
    }

    private static void checkVersion(String crd, CustomResourceDefinitionVersion before,
                                     Optional<CustomResourceDefinitionVersion> after, List<String> problems) {
        String where = crd + " " + before.getName();
        boolean served = after.map(v -> Boolean.TRUE.equals(v.getServed())).orElse(false);
        if (Boolean.TRUE.equals(before.getStorage()) && !served) {
            problems.add(where + ": the stored version was " + (after.isEmpty() ? "removed" : "no longer served")
                    + "; objects stored in it could no longer be read");
        } else if (Boolean.TRUE.equals(before.getServed()) && !served && !Boolean.TRUE.equals(before.getDeprecated())) {
            problems.add(where + ": the served version was " + (after.isEmpty() ? "removed" : "no longer served")
                    + " without being marked deprecated in the previous release");
        }
        if (after.isPresent() && before.getSchema() != null && after.get().getSchema() != null) {
            compare(where, "", before.getSchema().getOpenAPIV3Schema(), after.get().getSchema().getOpenAPIV3Schema(), problems);
        }
    }

    private static void compare(String where, String path, JSONSchemaProps before, JSONSchemaProps after, List<String> problems) {
        if (before == null || deprecated(before)) {
            return;
        }
        if (after == null) {
            problems.add(where + ": field " + path + " was removed without being marked deprecated in the previous release");
            return;
        }
        if (before.getType() != null && !before.getType().equals(after.getType())) {
            problems.add(where + ": field " + path + " changed type from " + before.getType() + " to " + after.getType());
            return;
        }
        Map<String, JSONSchemaProps> properties = before.getProperties() == null ? Map.of() : before.getProperties();
        Map<String, JSONSchemaProps> afterProperties = after.getProperties() == null ? Map.of() : after.getProperties();
        properties.forEach((name, schema) ->
                compare(where, path.isEmpty() ? name : path + "." + name, schema, afterProperties.get(name), problems));
        compare(where, path + "[]", before.getItems() == null ? null : before.getItems().getSchema(),
                after.getItems() == null ? null : after.getItems().getSchema(), problems);
        compare(where, path + "{}", additional(before), additional(after), problems);
    }

    private static JSONSchemaProps additional(JSONSchemaProps schema) {
        return schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema();
    }

    private static boolean deprecated(JSONSchemaProps schema) {
        return schema.getDescription() != null && schema.getDescription().strip().toLowerCase(Locale.ROOT).startsWith("deprecated");
    }

    private static Optional<CustomResourceDefinitionVersion> find(CustomResourceDefinition crd, String version) {
        return crd.getSpec().getVersions().stream().filter(v -> v.getName().equals(version)).findFirst();
    }
}
