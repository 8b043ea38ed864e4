package dev.windlass.discovery.model;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Localities as Istio reads them: the pod label's dotted form, node labels, and rule patterns. */
class LocalityTest {
    private static final Locality HERE = new Locality("us-east", "us-east-1a", "rack7");

    @Test
    void thePodLabelIsRegionZoneSubzoneWithDots() {
        assertThat(Locality.ofLabel("us-east.us-east-1a.rack7")).isEqualTo(HERE);
        assertThat(Locality.ofLabel("us-east")).isEqualTo(new Locality("us-east", "", ""));
        assertThat(Locality.ofLabel("")).isNull();
        assertThat(Locality.ofLabel(null)).isNull();
    }

    @Test
    void nodeLabelsGiveRegionZoneAndIstiosSubzone() {
        assertThat(Locality.ofNodeLabels(Map.of("topology.kubernetes.io/region", "us-east",
                "topology.kubernetes.io/zone", "us-east-1a", "topology.istio.io/subzone", "rack7"))).isEqualTo(HERE);
        assertThat(Locality.ofNodeLabels(Map.of())).isEqualTo(Locality.NONE);
    }

    @Test
    void patternsMatchLikeIstiosLocalityMatch() {
        assertThat(HERE.matches("*")).isTrue();
        assertThat(HERE.matches("us-east/*")).isTrue();
        assertThat(HERE.matches("us-east")).isTrue();
        assertThat(HERE.matches("us-east/us-east-1a/*")).isTrue();
        assertThat(HERE.matches("us-east/us-east-1a/rack7")).isTrue();
        assertThat(HERE.matches("us-east//rack7")).isTrue();
        assertThat(HERE.matches("us-east/us-east-1b/*")).isFalse();
        assertThat(HERE.matches("us-west/*")).isFalse();
        assertThat(HERE.matches("us-east/us-east-1a/rack8")).isFalse();
        assertThat(HERE.matches("/us-east-1a")).isFalse();
    }
}
