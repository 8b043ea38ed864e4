package dev.windlass.olm;

import io.fabric8.openshift.api.model.operatorhub.v1alpha1.AppLinkBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersionBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.InstallMode;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.InstallModeBuilder;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.MaintainerBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ClusterServiceVersion, from {@link BundleInputs}. */
public final class CsvFactory {
    /** The oldest Kubernetes with CEL validation rules in CRDs (GA in 1.29), which the MeshControlPlane CRD uses. */
    static final String MIN_KUBE_VERSION = "1.29.0";
    static final String HOME = "https://windlass.dev";
    static final String ICON_MEDIA_TYPE = "image/svg+xml";
    /** Only AllNamespaces: the MeshControlPlane is cluster-scoped and owns objects in any namespace. */
    static final List<InstallMode> INSTALL_MODES = List.of(installMode("OwnNamespace", false),
            installMode("SingleNamespace", false), installMode("MultiNamespace", false), installMode("AllNamespaces", true));

    private CsvFactory() {
    }

    public static ClusterServiceVersion csv(BundleInputs inputs) {
        return new ClusterServiceVersionBuilder()
                .withNewMetadata().withName(inputs.csvName()).withAnnotations(annotations(inputs)).endMetadata()
                .withNewSpec()
                .withDisplayName("Windlass").withDescription(CsvText.description(inputs)).withVersion(inputs.version())
                .withReplaces(inputs.release().replacesCsv().orElse(null))
                .withMaturity("alpha").withMinKubeVersion(MIN_KUBE_VERSION)
                .withKeywords("service mesh", "istio", "xds", "envoy", "sidecar", "gateway", "java")
                .addNewIcon().withBase64data(icon()).withMediatype(ICON_MEDIA_TYPE).endIcon()
                .withProvider(new AppLinkBuilder().withName("Windlass").withUrl(HOME).build())
                .withMaintainers(new MaintainerBuilder().withName("Windlass maintainers").withEmail("maintainers@windlass.dev").build())
                .withLinks(new AppLinkBuilder().withName("Windlass").withUrl(HOME).build(),
                        new AppLinkBuilder().withName("Documentation").withUrl(HOME + "/docs/install-olm").build())
                .withInstallModes(INSTALL_MODES)
                .withInstall(InstallStrategy.of(inputs))
                .withNewCustomresourcedefinitions().withOwned(CrdDescriptions.owned(inputs.crds())).endCustomresourcedefinitions()
                .withRelatedImages(RelatedImages.of(inputs))
                .endSpec().build();
    }

    private static Map<String, String> annotations(BundleInputs inputs) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("alm-examples", AlmExamples.json(inputs));
        annotations.put("capabilities", "Seamless Upgrades");
        annotations.put("categories", "Networking");
        annotations.put("containerImage", inputs.operatorImage());
        annotations.put("description", CsvText.SUMMARY);
        annotations.put("repository", HOME);
        annotations.put("support", "Windlass");
        annotations.put("operatorframework.io/suggested-namespace", inputs.deployment().getMetadata().getNamespace());
        annotations.put("features.operators.openshift.io/disconnected", "true");
        inputs.release().skipRangeExpression().ifPresent(range -> annotations.put("olm.skipRange", range));
        return annotations;
    }

    /** The icon, base64-encoded SVG. */
    static String icon() {
        try (InputStream in = CsvFactory.class.getResourceAsStream("icon.svg")) {
            return Base64.getEncoder().encodeToString(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InstallMode installMode(String type, boolean supported) {
        return new InstallModeBuilder().withType(type).withSupported(supported).build();
    }
}
