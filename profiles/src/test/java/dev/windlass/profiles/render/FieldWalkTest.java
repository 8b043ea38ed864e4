package dev.windlass.profiles.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.ResolvedValues;
import dev.windlass.profiles.SpecSchema;
import dev.windlass.profiles.ValuesException;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.profiles.Yaml;
import dev.windlass.profiles.render.SchemaFields.Field;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field of the MeshControlPlane spec schema (values included) either changes what the renderer makes or is
 * refused with an error naming it: a field that does neither would be accepted and silently ignored. Each field
 * is set, over the demo profile, to a value the schema accepts and the profile does not have, with what makes it
 * matter around it (its {@code enabled} switches on, see {@link SchemaFields}). The windlass-values ConfigMap is
 * left out of the comparison: it echoes every value back, whether anything reads it or not.
 */
class FieldWalkTest {
    /** Read by the operator's revision lifecycle rather than the renderer, and the tests that prove each. */
    private static final Map<String, String> OPERATOR_FIELDS = Map.of(
            "updateStrategy.type", "operator RevisionsApiServerTest.aRevisionBasedMeshRunsItsRevisionAndShowsItAsAMeshRevision",
            "updateStrategy.inactiveRevisionDeletionGracePeriodSeconds",
            "operator RevisionsApiServerTest.theOlderRevisionIsDeletedOnceNoPodUsesItAndTheGracePeriodIsOver",
            "updateStrategy.updateWorkloads", "test-e2e RevisionBasedUpgradeE2ETest");
    private static final JsonNode SPEC = SpecSchema.get().at();
    private static final VersionCatalog CATALOG = VersionCatalog.builtIn();

    private final ValuesResolver resolver = new ValuesResolver(ProfileCatalog.builtIn(), CATALOG);
    private final Map<String, String> baselines = new HashMap<>();

    @Test
    void everyFieldChangesTheRenderedMeshOrIsRefusedNamingIt() {
        List<Field> fields = SchemaFields.of(SPEC);
        List<String> ignored = new ArrayList<>();
        for (Field field : fields) {
            if (!OPERATOR_FIELDS.containsKey(field.text())) {
                walk(field).ifPresent(ignored::add);
            }
        }
        assertThat(ignored).as("accepted, yet the rendered mesh is the same: implement them or refuse them").isEmpty();
        assertThat(fields).extracting(Field::text).containsAll(OPERATOR_FIELDS.keySet())
                .contains("meshConfig.defaultConfig.holdApplicationUntilProxyStarts", "values.discovery.debounceMaxMillis",
                        "components.ingressGateways[0].k8s.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                                + ".nodeSelectorTerms[0].matchExpressions[0].key");
    }

    /** What is wrong with one field, if anything. */
    private Optional<String> walk(Field field) {
        ObjectNode context = SchemaFields.context(field, SPEC);
        if (!field.text().equals("profile")) {
            context.put("profile", "demo");
        }
        JsonNode value = null;
        try {
            String before = render(context);
            value = valueFor(field, resolve(context).tree().at(pointer(field)));
            String after = render(SchemaFields.with(context, field, value));
            return before.equals(after) ? Optional.of(field.text() + " = " + value) : Optional.empty();
        } catch (ValuesException refused) {
            return namesFieldOrParent(refused.getMessage(), field) ? Optional.empty()
                    : Optional.of(field.text() + " = " + value + ": refused without naming it: " + refused.getMessage());
        }
    }

    /** A refusal of the field itself, or of an object around it (so the field cannot be set at all). */
    private static boolean namesFieldOrParent(String message, Field field) {
        for (int length = field.path().size(); length > 0; length--) {
            if (message.contains(new Field(field.path().subList(0, length), field.schema()).text() + ":")) {
                return true;
            }
        }
        return false;
    }

    /** A value with meaning where the schema alone cannot give one: an installable version, a known profile. */
    private static JsonNode valueFor(Field field, JsonNode current) {
        return switch (field.text()) {
            case "version" -> TextNode.valueOf(CATALOG.versionList().split(", ")[1]);
            case "profile" -> TextNode.valueOf("minimal");
            default -> SchemaFields.otherThan(field.schema(), current);
        };
    }

    private String render(ObjectNode layer) {
        return baselines.computeIfAbsent(layer.toString(), key -> {
            List<HasMetadata> objects = new MeshRenderer(CATALOG).render("windlass", resolve(layer).spec(), "default", true);
            return Yaml.writeAll(objects.stream().filter(o -> !o.getMetadata().getName().equals("windlass-values")).toList());
        });
    }

    private ResolvedValues resolve(ObjectNode layer) {
        return resolver.resolve(new ValuesLayer("mcp.yaml", layer), List.of(), Optional.empty());
    }

    private static String pointer(Field field) {
        StringBuilder out = new StringBuilder();
        field.path().forEach(step -> out.append('/').append(step));
        return out.toString();
    }
}
