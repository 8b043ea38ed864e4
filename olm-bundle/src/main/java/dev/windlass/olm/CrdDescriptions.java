package dev.windlass.olm;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.CRDDescription;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.CRDDescriptionBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.SpecDescriptor;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.SpecDescriptorBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StatusDescriptor;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StatusDescriptorBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The CSV's owned-CRD entries, one per served version of every CRD, with spec and status descriptors derived from
 * the CRD's own schema, so that a new CRD or field is described without a change here.
 *
 * <p>Descriptors: every scalar field of spec up to three levels deep (the console's form), leaving out the
 * {@code values} escape hatch; every scalar of status up to two levels deep, and {@code conditions}. A widget is
 * chosen by type: a switch for booleans, a number field, a select for enums, a text field.
 */
final class CrdDescriptions {
    private static final String UI = "urn:alm:descriptor:com.tectonic.ui:";
    private static final Set<String> ADVANCED = Set.of("values");
    private static final int SPEC_DEPTH = 3;
    private static final int STATUS_DEPTH = 2;
    private static final Properties KIND_DESCRIPTIONS = kindDescriptions();

    private CrdDescriptions() {
    }

    static List<CRDDescription> owned(List<CustomResourceDefinition> crds) {
        List<CRDDescription> owned = new ArrayList<>();
        for (CustomResourceDefinition crd : crds) {
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                if (Boolean.TRUE.equals(version.getServed())) {
                    owned.add(describe(crd, version));
                }
            }
        }
        return owned;
    }

    private static CRDDescription describe(CustomResourceDefinition crd, CustomResourceDefinitionVersion version) {
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        String kind = crd.getSpec().getNames().getKind();
        return new CRDDescriptionBuilder().withName(crd.getMetadata().getName()).withVersion(version.getName())
                .withKind(kind).withDisplayName(Names.words(kind)).withDescription(description(crd, root))
                .withSpecDescriptors(specDescriptors(property(root, "spec")))
                .withStatusDescriptors(statusDescriptors(property(root, "status"))).build();
    }

    private static String description(CustomResourceDefinition crd, JSONSchemaProps root) {
        String kind = crd.getSpec().getNames().getKind();
        if (root.getDescription() != null && !root.getDescription().isBlank()) {
            return root.getDescription();
        }
        return KIND_DESCRIPTIONS.getProperty(kind, Names.words(kind) + " (" + crd.getSpec().getGroup() + ", "
                + crd.getSpec().getScope().toLowerCase() + "-scoped).");
    }

    private static List<SpecDescriptor> specDescriptors(JSONSchemaProps spec) {
        List<SpecDescriptor> descriptors = new ArrayList<>();
        for (Field field : Field.scalars(spec, SPEC_DEPTH)) {
            if (!ADVANCED.contains(field.path().getFirst())) {
                descriptors.add(new SpecDescriptorBuilder().withPath(field.dotted()).withDisplayName(field.displayName())
                        .withDescription(field.schema().getDescription()).withXDescriptors(specWidgets(field)).build());
            }
        }
        return descriptors;
    }

    private static List<String> specWidgets(Field field) {
        List<String> widgets = new ArrayList<>();
        JSONSchemaProps schema = field.schema();
        switch (schema.getType()) {
            case "boolean" -> widgets.add(UI + "booleanSwitch");
            case "integer", "number" -> widgets.add(UI + "number");
            default -> {
                if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
                    schema.getEnum().forEach(value -> widgets.add(UI + "select:" + value.asText()));
                } else {
                    widgets.add(UI + "text");
                }
            }
        }
        if (field.path().size() > 1) {
            widgets.add(UI + "fieldGroup:" + field.path().getFirst());
        }
        return widgets;
    }

    private static List<StatusDescriptor> statusDescriptors(JSONSchemaProps status) {
        List<StatusDescriptor> descriptors = new ArrayList<>();
        if (status.getProperties() != null && status.getProperties().containsKey("conditions")) {
            descriptors.add(new StatusDescriptorBuilder().withPath("conditions").withDisplayName("Conditions")
                    .withXDescriptors("urn:alm:descriptor:io.kubernetes.conditions").build());
        }
        for (Field field : Field.scalars(status, STATUS_DEPTH)) {
            descriptors.add(new StatusDescriptorBuilder().withPath(field.dotted()).withDisplayName(field.displayName())
                    .withDescription(field.schema().getDescription()).withXDescriptors("urn:alm:descriptor:text").build());
        }
        return descriptors;
    }

    private static JSONSchemaProps property(JSONSchemaProps object, String name) {
        Map<String, JSONSchemaProps> properties = object.getProperties();
        return properties != null && properties.containsKey(name) ? properties.get(name) : new JSONSchemaProps();
    }

    private static Properties kindDescriptions() {
        Properties properties = new Properties();
        try (InputStream in = CrdDescriptions.class.getResourceAsStream("kind-descriptions.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** A field of a schema: its path below spec or status, and its schema. */
    record Field(List<String> path, JSONSchemaProps schema) {
        /** The scalar fields (not inside lists or maps) up to {@code depth} levels deep, in schema order. */
        static List<Field> scalars(JSONSchemaProps object, int depth) {
            List<Field> fields = new ArrayList<>();
            collect(object, List.of(), depth, fields);
            return fields;
        }

        private static void collect(JSONSchemaProps object, List<String> path, int depth, List<Field> fields) {
            if (object.getProperties() == null || path.size() >= depth) {
                return;
            }
            object.getProperties().forEach((name, schema) -> {
                List<String> child = new ArrayList<>(path);
                child.add(name);
                if ("object".equals(schema.getType())) {
                    collect(schema, child, depth, fields);
                } else if (schema.getType() != null && !"array".equals(schema.getType())) {
                    fields.add(new Field(List.copyOf(child), schema));
                }
            });
        }

        String dotted() {
            return String.join(".", path);
        }

        /** The last two names, as words: "Update Strategy Type", "Grafana Enabled", "Version". */
        String displayName() {
            return Names.words(String.join(" ", path.subList(Math.max(0, path.size() - 2), path.size())));
        }
    }
}
