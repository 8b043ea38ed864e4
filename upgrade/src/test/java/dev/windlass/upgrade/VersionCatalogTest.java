package dev.windlass.upgrade;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionCatalogTest {
    private final VersionCatalog catalog = VersionCatalog.builtIn();

    @Test
    void listsAtLeastTwoVersionsNewestFirst() {
        assertThat(catalog.versions()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(catalog.versions()).isSortedAccordingTo((a, b) -> b.version().compareTo(a.version()));
        assertThat(catalog.latest().version()).isEqualTo(SemVer.parse("0.2.0"));
    }

    @Test
    void theLatestVersionCanBeReachedFromAnEarlierMinorInTheCatalog() {
        MeshVersion latest = catalog.latest();
        assertThat(catalog.find(latest.upgradeableFrom().toString())).isPresent();
        assertThat(latest.upgradeableFrom().minor()).isLessThan(latest.version().minor());
    }

    @Test
    void everyVersionNamesItsOwnImages() {
        for (MeshVersion v : catalog.versions()) {
            assertThat(v.images().discovery()).endsWith(":" + v.version());
            assertThat(v.images().proxy()).endsWith(":" + v.version());
        }
    }

    @Test
    void anUnknownVersionIsRefusedWithTheInstallableList() {
        assertThatThrownBy(() -> catalog.require("9.9.9"))
                .hasMessage("version 9.9.9 is not in the catalog; installable versions: 0.2.0, 0.1.0");
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(SemVer.parse("0.10.0")).isGreaterThan(SemVer.parse("0.9.3"));
        assertThatThrownBy(() -> SemVer.parse("1.2")).hasMessageContaining("major.minor.patch");
    }
}
