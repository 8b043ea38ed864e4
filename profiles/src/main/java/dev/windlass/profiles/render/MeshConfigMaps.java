package dev.windlass.profiles.render;

import dev.windlass.contract.Revisions;
import dev.windlass.profiles.Yaml;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;
import java.util.TreeMap;

/**
 * The ConfigMaps of a revision: the mesh settings the discovery server reads, the injection template, and the
 * fully merged values (so that a user can see exactly what was installed; nothing reads them).
 */
final class MeshConfigMaps {
    private MeshConfigMaps() {
    }

    static String meshConfigName(MeshContext ctx) {
        return ctx.revisioned("windlass");
    }

    static String injectorName(MeshContext ctx) {
        return ctx.revisioned(Revisions.INJECTOR);
    }

    static String valuesName(MeshContext ctx) {
        return ctx.revisioned("windlass-values");
    }

    /** The mesh settings the discovery server reads. */
    static HasMetadata mesh(MeshContext ctx) {
        Map<String, Object> mesh = new TreeMap<>();
        // Only what the discovery server reads (its MeshConfigParser): a setting listed here that nothing read would
        // look applied. The proxies get theirs as env (ProxyEnv); all the values are in windlass-values.
        mesh.put("meshConfig", Map.of("outboundTrafficPolicy", ctx.spec().meshConfig().outboundTrafficPolicy()));
        mesh.put("discoveryAddress", ctx.discoveryAddress());
        mesh.put("clusterDomain", ctx.spec().values().global().clusterDomain());
        mesh.put("revision", ctx.revision());
        return configMap(ctx, meshConfigName(ctx), "mesh.yaml", Yaml.write(mesh));
    }

    /** The injection template, which the injector reads. */
    static HasMetadata injector(MeshContext ctx) {
        return new ConfigMapBuilder().withMetadata(ctx.meta(injectorName(ctx), ctx.namespace(), "injector"))
                .withData(new TreeMap<>(Map.of(
                        "template.yaml", Yaml.write(SidecarTemplate.render(ctx)),
                        "values.yaml", Yaml.write(SidecarTemplate.injectorValues(ctx)))))
                .build();
    }

    /** The fully merged values, for people to read. */
    static HasMetadata values(MeshContext ctx) {
        return configMap(ctx, valuesName(ctx), "values.yaml", Yaml.write(ctx.spec()));
    }

    private static HasMetadata configMap(MeshContext ctx, String name, String key, String content) {
        return new ConfigMapBuilder().withMetadata(ctx.meta(name, ctx.namespace(), "base"))
                .withData(Map.of(key, content)).build();
    }
}
