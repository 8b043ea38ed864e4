package dev.windlass.upgrade;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValuesMigrationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ValuesMigrations migrations = ValuesMigrations.builtIn();

    @Test
    void oneDotOneToTwoRenamesTheDeltaXdsFlagAndKeepsItsValue() throws Exception {
        ObjectNode spec = spec("{\"version\":\"0.2.0\",\"values\":{\"experimental\":{\"deltaXDS\":false,\"other\":1}}}");
        assertThat(migrations.migrate(spec, "0.1.0", "0.2.0"))
                .containsExactly("0.1.0 → 0.2.0: values.experimental.deltaXDS renamed to values.experimental.deltaXds");
        assertThat(spec.at("/values/experimental").toString()).isEqualTo("{\"other\":1,\"deltaXds\":false}");
    }

    @Test
    void anExplicitNewSpellingWins() throws Exception {
        ObjectNode spec = spec("{\"values\":{\"experimental\":{\"deltaXDS\":false,\"deltaXds\":true}}}");
        assertThat(migrations.migrate(spec, "0.1.0", "0.2.0")).singleElement().asString().contains("dropped");
        assertThat(spec.at("/values/experimental").toString()).isEqualTo("{\"deltaXds\":true}");
    }

    @Test
    void aSpecWithoutTheOldFlagIsLeftAsItIs() throws Exception {
        ObjectNode spec = spec("{\"version\":\"0.2.0\",\"profile\":\"preview\",\"values\":{\"experimental\":{\"deltaXds\":true}}}");
        String before = spec.toString();
        assertThat(migrations.migrate(spec, "0.1.0", "0.2.0")).isEmpty();
        assertThat(spec.toString()).isEqualTo(before);
    }

    @Test
    void noMigrationRunsWithoutAVersionChangeOrOnADowngrade() throws Exception {
        ObjectNode spec = spec("{\"values\":{\"experimental\":{\"deltaXDS\":true}}}");
        assertThat(migrations.between("0.2.0", "0.2.0")).isEmpty();
        assertThat(migrations.migrate(spec, "0.2.0", "0.1.0")).isEmpty();
        assertThat(spec.at("/values/experimental/deltaXDS").asBoolean()).isTrue();
    }

    @Test
    void everyMigrationStepsBetweenConsecutiveCatalogVersions() {
        var versions = VersionCatalog.builtIn().versions().stream().map(MeshVersion::version).toList();
        for (ValuesMigration migration : migrations.between("0.0.0", "999.0.0")) {
            assertThat(versions).contains(migration.from(), migration.to());
            assertThat(versions.indexOf(migration.from()) - versions.indexOf(migration.to())).as("newest first: adjacent").isEqualTo(1);
        }
    }

    private static ObjectNode spec(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }
}
