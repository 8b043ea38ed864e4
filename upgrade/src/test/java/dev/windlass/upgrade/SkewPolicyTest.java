package dev.windlass.upgrade;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.windlass.upgrade.SkewPolicy.Strategy.IN_PLACE;
import static dev.windlass.upgrade.SkewPolicy.Strategy.REVISION_BASED;
import static org.assertj.core.api.Assertions.assertThat;

class SkewPolicyTest {
    /** 1.0.0 … 1.3.0, two patches of 1.1, and 2.0.0; 1.3.0 can only be reached from 1.1.0 onwards. */
    private final SkewPolicy policy = new SkewPolicy(VersionCatalog.of(List.of(
            version("1.0.0", "1.0.0"), version("1.1.0", "1.0.0"), version("1.1.1", "1.0.0"), version("1.2.0", "1.0.0"),
            version("1.3.0", "1.1.0"), version("2.0.0", "1.3.0"))));

    @ParameterizedTest(name = "{0} -> {1} with {2}: {3}")
    @CsvSource({
            "1.0.0, 1.1.0, IN_PLACE, true",
            "1.0.0, 1.1.1, IN_PLACE, true",
            "1.1.0, 1.1.1, IN_PLACE, true",
            "1.0.0, 1.2.0, IN_PLACE, false",
            "1.0.0, 1.2.0, REVISION_BASED, true",
            "1.0.0, 1.3.0, REVISION_BASED, false",
            "1.1.0, 1.3.0, REVISION_BASED, true",
            "1.3.0, 2.0.0, IN_PLACE, false",
            "1.1.1, 1.1.0, IN_PLACE, true",
            "1.1.1, 1.0.0, IN_PLACE, false",
            "1.2.0, 1.1.1, REVISION_BASED, false",
            "1.1.0, 1.1.0, IN_PLACE, false",
    })
    void allowedAndRefusedPaths(String from, String to, SkewPolicy.Strategy strategy, boolean allowed) {
        assertThat(policy.check(from, to, strategy).allowed()).isEqualTo(allowed);
    }

    @Test
    void aRefusalSaysWhyAndNamesTheAllowedNextVersions() {
        SkewPolicy.Verdict verdict = policy.check("1.0.0", "1.2.0", IN_PLACE);
        assertThat(verdict.message()).isEqualTo("1.0.0 → 1.2.0 is not allowed: the InPlace strategy moves at most 1 minor"
                + " version at a time. Allowed next versions from 1.0.0 with InPlace: 1.1.1, 1.1.0");
        assertThat(policy.check("1.2.0", "1.0.0", REVISION_BASED).message())
                .startsWith("1.2.0 → 1.0.0 is not allowed: a downgrade may only go to the previous patch of 1.2");
        assertThat(policy.check("1.0.0", "9.9.9", IN_PLACE).message())
                .isEqualTo("9.9.9 is not in the catalog. Allowed next versions from 1.0.0 with InPlace: 1.1.1, 1.1.0");
    }

    @Test
    void theBuiltInCatalogUpgradesItsOwnTwoVersionsBothWays() {
        SkewPolicy builtIn = new SkewPolicy(VersionCatalog.builtIn());
        assertThat(builtIn.check("0.1.0", "0.2.0", IN_PLACE).allowed()).isTrue();
        assertThat(builtIn.check("0.1.0", "0.2.0", REVISION_BASED).allowed()).isTrue();
        assertThat(builtIn.check("0.2.0", "0.1.0", IN_PLACE).allowed()).as("0.1.0 is another minor").isFalse();
    }

    private static MeshVersion version(String version, String upgradeableFrom) {
        return new MeshVersion(SemVer.parse(version), SemVer.parse(upgradeableFrom), null, List.of());
    }
}
