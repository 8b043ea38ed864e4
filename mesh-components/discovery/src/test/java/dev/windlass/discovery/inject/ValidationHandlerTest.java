package dev.windlass.discovery.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.injector.InjectorJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValidationHandlerTest {
    private final Metrics metrics = new Metrics();
    private final ValidationHandler handler = new ValidationHandler(metrics);

    @Test
    void aValidVirtualServiceIsAllowedInEveryVersion() {
        for (String version : new String[]{"v1", "v1beta1", "v1alpha3"}) {
            JsonNode answer = handler.handle(review("u-" + version, "CREATE", version, "VirtualService", reviews(10)));
            assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
            assertThat(answer.path("response").path("uid").asText()).isEqualTo("u-" + version);
            assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
            assertThat(answer.path("response").has("status")).isFalse();
        }
        assertThat(metrics.validations("VirtualService", "allowed")).isEqualTo(3);
    }

    @Test
    void anInvalidSpecIsRefusedWithEveryErrorAndItsPath() {
        ObjectNode object = reviews(-10);
        firstRule(object).put("timeout", "0s");
        JsonNode answer = handler.handle(review("u1", "UPDATE", "v1", "VirtualService", object));
        assertThat(answer.path("response").path("allowed").asBoolean()).isFalse();
        assertThat(answer.path("response").path("status").path("code").asInt()).isEqualTo(400);
        assertThat(answer.path("response").path("status").path("message").asText()).isEqualTo("configuration is invalid: "
                + "spec.http[0].route[0].weight: weight -10 < 0; spec.http[0].timeout: duration must be greater than 1ms, got 0s");
        assertThat(metrics.validations("VirtualService", "refused")).isEqualTo(1);
    }

    @Test
    void aFieldWindlassDoesNotImplementIsRefusedByName() {
        ObjectNode object = reviews(10);
        firstRule(object).putObject("mirror_percent");
        assertThat(message(handler.handle(review("u1", "CREATE", "v1", "VirtualService", object))))
                .isEqualTo("configuration is invalid: not supported by Windlass: spec.http[0].mirror_percent");
    }

    @Test
    void gatewaysAreValidatedWithTheirName() throws Exception {
        ObjectNode gateway = object("Gateway", "gw");
        gateway.putObject("spec").putObject("selector").put("istio", "ingressgateway");
        assertThat(message(handler.handle(review("u1", "CREATE", "v1beta1", "Gateway", gateway))))
                .isEqualTo("configuration is invalid: spec.servers: gateway must have at least one server");
        ObjectNode dotted = object("Gateway", "my.gw");
        dotted.set("spec", InjectorJson.JSON.readTree(
                "{\"servers\": [{\"port\": {\"number\": 80, \"name\": \"http\", \"protocol\": \"HTTP\"}, \"hosts\": [\"*\"]}]}"));
        assertThat(message(handler.handle(review("u2", "CREATE", "v1", "Gateway", dotted))))
                .isEqualTo("configuration is invalid: metadata.name: invalid gateway name: \"my.gw\"");
        assertThat(metrics.validations("Gateway", "refused")).isEqualTo(2);
    }

    @Test
    void serviceEntriesAreValidated() {
        assertThat(message(handler.handle(review("u3", "CREATE", "v1", "ServiceEntry", object("ServiceEntry", "se")))))
                .contains("spec.hosts: service entry must have at least one host");
    }

    @Test
    void anUnknownTopLevelFieldIsRefusedNamingIt() {
        ObjectNode object = reviews(10);
        object.putObject("specs").put("hosts", "typo");
        assertThat(message(handler.handle(review("u1", "CREATE", "v1", "VirtualService", object))))
                .isEqualTo("unknown field \"specs\" on VirtualService resource bookinfo/reviews");
    }

    @Test
    void garbageIsABadRequestAndNeverAnException() {
        for (JsonNode garbage : new JsonNode[]{null, TextNode.valueOf("garbage"), InjectorJson.JSON.createObjectNode(),
                InjectorJson.JSON.createObjectNode().put("request", "nonsense")}) {
            JsonNode answer = handler.handle(garbage);
            assertThat(answer.path("response").path("uid").asText()).isEmpty();
            assertThat(answer.path("response").path("allowed").asBoolean()).isFalse();
            assertThat(answer.path("response").path("status").path("code").asInt()).isEqualTo(400);
            assertThat(message(answer)).isEqualTo("not an AdmissionReview with request.uid");
        }
        ObjectNode notAnObject = review("u1", "CREATE", "v1", "VirtualService", reviews(10));
        notAnObject.withObject("/request").put("object", "garbage");
        assertThat(message(handler.handle(notAnObject))).startsWith("cannot decode configuration");
        ObjectNode specNotAnObject = reviews(10);
        specNotAnObject.put("spec", 42);
        assertThat(message(handler.handle(review("u2", "CREATE", "v1", "VirtualService", specNotAnObject))))
                .isEqualTo("configuration is invalid: spec: expected an object");
        assertThat(message(handler.handle(review("u3", "CREATE", "v2", "VirtualService", reviews(10)))))
                .isEqualTo("unrecognized type networking.istio.io/v2, Kind=VirtualService");
        // The garbage and the unserved version: the kind is known only when its group serves it in that version.
        assertThat(metrics.validations("unknown", "error")).isEqualTo(5);
    }

    @Test
    void deletionsSubresourcesAndUnchangedSpecsAreNotValidated() {
        ObjectNode invalid = reviews(-10);
        assertThat(allowed(review("u1", "DELETE", "v1", "VirtualService", invalid))).isTrue();
        ObjectNode status = review("u2", "UPDATE", "v1", "VirtualService", invalid);
        status.withObject("/request").put("subResource", "status");
        assertThat(allowed(status)).isTrue();
        ObjectNode beingDeleted = invalid.deepCopy();
        beingDeleted.withObject("/metadata").put("deletionTimestamp", "2026-01-01T00:00:00Z");
        assertThat(allowed(review("u3", "UPDATE", "v1", "VirtualService", beingDeleted))).isTrue();
        ObjectNode relabelled = review("u4", "UPDATE", "v1", "VirtualService", invalid);
        relabelled.withObject("/request").set("oldObject", invalid.deepCopy());
        relabelled.withObject("/request/object/metadata").putObject("labels").put("team", "a");
        assertThat(allowed(relabelled)).isTrue();
        assertThat(allowed(review("u5", "UPDATE", "v1", "VirtualService", invalid))).isFalse();
    }

    private static ObjectNode firstRule(ObjectNode object) {
        return (ObjectNode) object.path("spec").path("http").get(0);
    }

    private boolean allowed(JsonNode review) {
        return handler.handle(review).path("response").path("allowed").asBoolean();
    }

    private static String message(JsonNode answer) {
        return answer.path("response").path("status").path("message").asText();
    }

    /** The reviews VirtualService of Bookinfo, 50/50 between v1 and v2 with the first weight given. */
    static ObjectNode reviews(int firstWeight) {
        ObjectNode object = object("VirtualService", "reviews");
        ObjectNode spec = object.putObject("spec");
        spec.putArray("hosts").add("reviews");
        ObjectNode http = spec.putArray("http").addObject();
        for (String subset : new String[]{"v1", "v2"}) {
            ObjectNode route = http.withArray("route").addObject();
            route.putObject("destination").put("host", "reviews").put("subset", subset);
            route.put("weight", subset.equals("v1") ? firstWeight : 50);
        }
        return object;
    }

    private static ObjectNode object(String kind, String name) {
        ObjectNode object = InjectorJson.JSON.createObjectNode().put("apiVersion", "networking.istio.io/v1").put("kind", kind);
        object.putObject("metadata").put("name", name).put("namespace", "bookinfo");
        return object;
    }

    static ObjectNode review(String uid, String operation, String version, String kind, ObjectNode object) {
        ObjectNode review = InjectorJson.JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", uid).put("namespace", "bookinfo").put("operation", operation);
        request.putObject("kind").put("group", "networking.istio.io").put("version", version).put("kind", kind);
        request.set("object", object);
        return review;
    }
}
