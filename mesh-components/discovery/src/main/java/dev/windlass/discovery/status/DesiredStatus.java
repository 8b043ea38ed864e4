package dev.windlass.discovery.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.traffic.istio.analysis.Finding;

import java.time.Instant;
import java.util.List;

/**
 * What the discovery server writes to the status of a VirtualService or DestinationRule: Istio's
 * {@code validationMessages} (code, level and documentation link of each finding; Istio writes no message text
 * there), {@code observedGeneration}, and a {@code Reconciled} condition. Istio's Reconciled counts the proxies
 * that acknowledged the config ("3/3 proxies up to date"); this server does not track that per resource, so its
 * condition says what it knows: True/Accepted when the resource passed validation and was translated into the
 * routing model served to proxies, False/Rejected with the errors when it was refused and is not served.
 */
record DesiredStatus(long observedGeneration, List<Message> messages, boolean accepted, String conditionMessage) {
    static final String CONDITION = "Reconciled";
    static final String DOC_REF = "status-controller";
    static final String ACCEPTED = "Accepted by windlass-discovery and translated into the routing model it serves to proxies";
    private static final int MAX_MESSAGE = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    DesiredStatus {
        messages = List.copyOf(messages);
    }

    /** One entry of {@code validationMessages}: {@code {type: {code}, level, documentationUrl}}. */
    record Message(String code, String level, String documentationUrl) {
        static Message of(Finding finding) {
            return new Message(finding.code().name(), finding.level().name(), finding.code().documentationUrl(DOC_REF));
        }
    }

    static DesiredStatus accepted(long generation, List<Finding> findings) {
        return new DesiredStatus(generation, findings.stream().map(Message::of).toList(), true, ACCEPTED);
    }

    static DesiredStatus rejected(long generation, List<Finding> findings, String errors) {
        String text = "Rejected by windlass-discovery, not served to proxies: " + errors;
        return new DesiredStatus(generation, findings.stream().map(Message::of).toList(), false,
                text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE - 3) + "..." : text);
    }

    /**
     * Whether {@code status} (the object's current one, or null) already says this. Timestamps are ignored, so
     * that two replicas writing the same content at different moments agree and neither writes again.
     */
    boolean isIn(JsonNode status) {
        JsonNode current = status == null ? JSON.createObjectNode() : status;
        if (current.path("observedGeneration").asLong(-1) != observedGeneration) {
            return false;
        }
        JsonNode condition = reconciled(current);
        if (condition == null || !condition.path("status").asText().equals(conditionStatus())
                || !condition.path("reason").asText().equals(reason())
                || !condition.path("message").asText().equals(conditionMessage)
                || condition.path("observedGeneration").asLong(-1) != observedGeneration) {
            return false;
        }
        return messagesNode().equals(current.path("validationMessages").isMissingNode()
                ? JSON.createArrayNode() : current.path("validationMessages"));
    }

    /**
     * The status to apply over {@code current}: other writers' conditions are kept as they are, and the Reconciled
     * condition keeps its lastTransitionTime while its status stays the same. An empty message list is written
     * only to clear one that is there.
     */
    ObjectNode toJson(JsonNode current, Instant now) {
        JsonNode existing = current == null ? JSON.createObjectNode() : current;
        ObjectNode status = JSON.createObjectNode();
        status.put("observedGeneration", observedGeneration);
        ArrayNode conditions = status.putArray("conditions");
        existing.path("conditions").forEach(c -> {
            if (!CONDITION.equals(c.path("type").asText())) {
                conditions.add(c);
            }
        });
        JsonNode previous = reconciled(existing);
        String since = previous != null && previous.path("status").asText().equals(conditionStatus())
                && previous.hasNonNull("lastTransitionTime") ? previous.path("lastTransitionTime").asText() : now.toString();
        conditions.addObject().put("type", CONDITION).put("status", conditionStatus()).put("reason", reason())
                .put("message", conditionMessage).put("observedGeneration", observedGeneration)
                .put("lastTransitionTime", since);
        if (!messages.isEmpty() || !existing.path("validationMessages").isEmpty()) {
            status.set("validationMessages", messagesNode());
        }
        return status;
    }

    private ArrayNode messagesNode() {
        ArrayNode list = JSON.createArrayNode();
        messages.forEach(m -> {
            ObjectNode item = list.addObject();
            item.putObject("type").put("code", m.code());
            item.put("level", m.level()).put("documentationUrl", m.documentationUrl());
        });
        return list;
    }

    private String conditionStatus() {
        return accepted ? "True" : "False";
    }

    private String reason() {
        return accepted ? "Accepted" : "Rejected";
    }

    private static JsonNode reconciled(JsonNode status) {
        for (JsonNode c : status.path("conditions")) {
            if (CONDITION.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }
}
