package dev.windlass.profiles;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValuesMergeTest {

    @Test
    void mapsMergeKeyByKey() {
        ObjectNode merged = ValuesMerge.merge(tree("a: {x: 1, y: 2}"), tree("a: {y: 3, z: 4}"));
        assertThat(merged).isEqualTo(tree("a: {x: 1, y: 3, z: 4}"));
    }

    @Test
    void listsReplaceWholly() {
        ObjectNode merged = ValuesMerge.merge(tree("l: [{name: a, v: 1}, {name: b}]"), tree("l: [{name: c}]"));
        assertThat(merged).isEqualTo(tree("l: [{name: c}]"));
    }

    @Test
    void anExplicitNullRemovesTheKey() {
        ObjectNode merged = ValuesMerge.merge(tree("a: {x: 1, y: 2}\nb: 3"), tree("a: {x: null}\nb: null"));
        assertThat(merged).isEqualTo(tree("a: {y: 2}"));
    }

    @Test
    void aNullForAnAbsentKeyLeavesNoTrace() {
        ObjectNode merged = ValuesMerge.merge(tree("a: 1"), tree("b: {c: null, d: 2}"));
        assertThat(merged).isEqualTo(tree("a: 1\nb: {d: 2}"));
    }

    @Test
    void scalarsReplaceMapsAndMapsReplaceScalars() {
        assertThat(ValuesMerge.merge(tree("a: {x: 1}"), tree("a: 5"))).isEqualTo(tree("a: 5"));
        assertThat(ValuesMerge.merge(tree("a: 5"), tree("a: {x: 1}"))).isEqualTo(tree("a: {x: 1}"));
    }

    @Test
    void neitherInputIsChanged() {
        ObjectNode base = tree("a: {x: 1}");
        ObjectNode overlay = tree("a: {x: null, y: 2}");
        ValuesMerge.merge(base, overlay);
        assertThat(base).isEqualTo(tree("a: {x: 1}"));
        assertThat(overlay).isEqualTo(tree("a: {x: null, y: 2}"));
    }

    static ObjectNode tree(String yaml) {
        try {
            return (ObjectNode) Yaml.MAPPER.readTree(yaml);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
