package dev.windlass.profiles;

import org.junit.jupiter.api.Test;

import static dev.windlass.profiles.ValuesMergeTest.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SetFlagTest {

    @Test
    void setsANestedScalarWithItsYamlType() {
        var values = tree("a: {b: 1}");
        SetFlag.parse("a.c=true").applyTo(values);
        SetFlag.parse("a.b=7").applyTo(values);
        SetFlag.parse("d=text").applyTo(values);
        assertThat(values).isEqualTo(tree("a: {b: 7, c: true}\nd: text"));
    }

    @Test
    void indexesIntoAnExistingListWithoutReplacingIt() {
        var values = tree("gw: [{name: a, r: 1}, {name: b, r: 1}]");
        SetFlag.parse("gw[1].r=3").applyTo(values);
        assertThat(values).isEqualTo(tree("gw: [{name: a, r: 1}, {name: b, r: 3}]"));
    }

    @Test
    void nullRemovesAndEscapedDotsStayInTheKey() {
        var values = tree("a: {b: 1, c: 2}");
        SetFlag.parse("a.b=null").applyTo(values);
        SetFlag.parse("ann.sidecar\\.windlass\\.dev/inject='false'").applyTo(values);
        assertThat(values).isEqualTo(tree("a: {c: 2}\nann: {sidecar.windlass.dev/inject: 'false'}"));
    }

    @Test
    void flowCollectionsAreValues() {
        var values = tree("a: 1");
        SetFlag.parse("l=[x, y]").applyTo(values);
        assertThat(values).isEqualTo(tree("a: 1\nl: [x, y]"));
    }

    @Test
    void badFlagsNameThemselves() {
        assertThatThrownBy(() -> SetFlag.parse("novalue")).hasMessage("--set novalue: expected path=value");
        assertThatThrownBy(() -> SetFlag.parse("a..b=1")).hasMessageStartingWith("--set a..b=1: bad path segment");
        assertThatThrownBy(() -> SetFlag.parse("a.b=1").applyTo(tree("a: 5"))).hasMessage("--set a.b=1: 'a' is not a map");
    }
}
