package dev.windlass.discovery.ads;

import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.xds.ProxyNode;
import dev.windlass.discovery.xds.XdsType;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Streams of one proxy shape share one translation, one packing and one version per snapshot. */
class SharedTranslationsTest {
    private static final ProxyNode SLEEP_0 = sidecar("10.244.5.1", "sleep-0");
    private static final ProxyNode SLEEP_1 = sidecar("10.244.5.2", "sleep-1");
    private static final ProxyNode UNKNOWN_A = sidecar("10.244.9.1", "gone-a");
    private static final ProxyNode UNKNOWN_B = sidecar("10.244.9.2", "gone-b");

    private final Fixtures.Registry registry = Fixtures.registry("locality");
    private final AtomicReference<MeshSnapshot> model = new AtomicReference<>(registry.snapshot(MeshSettings.DEFAULT));
    private final AtomicInteger reads = new AtomicInteger();
    private final SnapshotSource source = new SnapshotSource(() -> {
        reads.incrementAndGet();
        return model.get();
    });

    @Test
    void proxiesOfOneShapeGetTheSameResourcesAndOthersTheirOwn() {
        SharedTranslations translations = new SharedTranslations(source.read());

        ServedResources a = translations.full(UNKNOWN_A);
        assertThat(translations.full(UNKNOWN_B)).isSameAs(a);
        assertThat(translations.full(SLEEP_0)).isNotSameAs(a);
        assertThat(translations.full(SLEEP_1).resources().endpoints())
                .isNotEqualTo(translations.full(SLEEP_0).resources().endpoints());
    }

    @Test
    void aSelectionIsPackedAndVersionedOnce() {
        ServedResources served = new SharedTranslations(source.read()).full(SLEEP_0);

        ServedResources.Packed all = served.select(XdsType.CDS, Set.of());
        assertThat(served.select(XdsType.CDS, Set.of())).isSameAs(all);
        assertThat(all.resources()).hasSize(served.resources().clusters().size());
        String one = served.resources().clusters().firstKey();
        ServedResources.Packed named = served.select(XdsType.CDS, Set.of(one, "no-such-cluster"));
        assertThat(named.resources()).hasSize(1);
        assertThat(named.version()).isNotEqualTo(all.version());
    }

    @Test
    void anEndpointPushSharesTooButNeverAcrossDifferentPreviousResources() {
        SharedTranslations first = new SharedTranslations(source.read());
        ServedResources before = first.full(UNKNOWN_A);
        source.changed();
        SharedTranslations second = new SharedTranslations(source.read());

        ServedResources after = second.withEndpoints(UNKNOWN_A, before);
        assertThat(second.withEndpoints(UNKNOWN_B, before)).isSameAs(after);
        assertThat(after.resources().clusters()).isEqualTo(before.resources().clusters());
        ServedResources otherPrevious = new SharedTranslations(second.stamped()).full(UNKNOWN_B);
        assertThat(second.withEndpoints(UNKNOWN_B, otherPrevious)).isNotSameAs(after);
    }

    @Test
    void theRegistryIsReadAgainOnlyAfterAChange() {
        SnapshotSource.Stamped first = source.read();
        assertThat(source.read()).isSameAs(first);
        assertThat(reads).hasValue(1);

        source.changed();
        SnapshotSource.Stamped second = source.read();
        assertThat(second.seq()).isGreaterThan(first.seq());
        assertThat(reads).hasValue(2);
    }

    private static ProxyNode sidecar(String ip, String pod) {
        return ProxyNode.parse("sidecar~" + ip + "~" + pod + ".loc~loc.svc.cluster.local");
    }
}
