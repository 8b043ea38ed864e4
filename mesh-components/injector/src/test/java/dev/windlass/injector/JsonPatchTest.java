package dev.windlass.injector;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class JsonPatchTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1}|{\"a\":1}|[]",
            "{\"a\":1}|{\"a\":2}|[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]",
            "{\"a\":1,\"b\":2}|{\"a\":1}|[{\"op\":\"remove\",\"path\":\"/b\"}]",
            "{}|{\"x/y~z\":{}}|[{\"op\":\"add\",\"path\":\"/x~1y~0z\",\"value\":{}}]",
            "{\"l\":[1,2]}|{\"l\":[1,3,4]}|[{\"op\":\"replace\",\"path\":\"/l/1\",\"value\":3},{\"op\":\"add\",\"path\":\"/l/-\",\"value\":4}]",
            "{\"l\":[1,2,3]}|{\"l\":[1]}|[{\"op\":\"remove\",\"path\":\"/l/2\"},{\"op\":\"remove\",\"path\":\"/l/1\"}]",
            "{\"l\":[1]}|{\"l\":{\"a\":1}}|[{\"op\":\"replace\",\"path\":\"/l\",\"value\":{\"a\":1}}]",
    })
    void diffs(String from, String to, String expected) throws Exception {
        JsonNode a = InjectorJson.JSON.readTree(from);
        JsonNode b = InjectorJson.JSON.readTree(to);
        JsonNode patch = JsonPatch.diff(a, b);
        assertThat(patch).isEqualTo(InjectorJson.JSON.readTree(expected));
        assertThat(io.fabric8.zjsonpatch.JsonPatch.apply(patch, a)).isEqualTo(b);
    }
}
