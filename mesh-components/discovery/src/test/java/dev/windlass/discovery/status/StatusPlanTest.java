package dev.windlass.discovery.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.traffic.istio.FieldError;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.analysis.AnalysisInput;
import dev.windlass.traffic.istio.analysis.AnalysisInputBuilder;
import dev.windlass.traffic.istio.analysis.Analyzer;
import dev.windlass.traffic.istio.analysis.Finding;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the status writer writes, when it writes, and that it leaves alone what already says the same. */
class StatusPlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aFindingBecomesAValidationMessageWithObservedGenerationAndAnAcceptedCondition() throws Exception {
        AnalysisInput input = input("""
                {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                 "metadata": {"name": "reviews", "namespace": "shop", "generation": 3},
                 "spec": {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v4"}}]}]}}""");
        List<StatusPlan.Write> writes = StatusPlan.writes(input, Analyzer.analyze(input), (k, ns, n) -> Optional.of(JSON.missingNode()), NOW);
        assertThat(writes).singleElement().satisfies(w -> {
            assertThat(w.displayName()).isEqualTo("VirtualService shop/reviews");
            assertThat(w.status().toString()).as("JSON, in the order written").isEqualTo(JSON.readTree("""
                    {"observedGeneration": 3,
                     "conditions": [{"type": "Reconciled", "status": "True", "reason": "Accepted",
                       "message": "Accepted by windlass-discovery and translated into the routing model it serves to proxies",
                       "observedGeneration": 3, "lastTransitionTime": "2026-03-01T10:00:00Z"}],
                     "validationMessages": [{"type": {"code": "IST0101"}, "level": "ERROR",
                       "documentationUrl": "https://istio.io/latest/docs/reference/config/analysis/ist0101/?ref=status-controller"},
                       {"type": {"code": "IST0101"}, "level": "ERROR",
                       "documentationUrl": "https://istio.io/latest/docs/reference/config/analysis/ist0101/?ref=status-controller"}]}""").toString());
        });
    }

    @Test
    void aStatusThatSaysTheSameApartFromTimestampsIsNotWrittenAgain() throws Exception {
        DesiredStatus desired = DesiredStatus.accepted(2, List.of());
        JsonNode written = desired.toJson(null, NOW);
        assertThat(written.has("validationMessages")).isFalse();
        assertThat(desired.isIn(written)).isTrue();
        JsonNode byAnotherReplica = desired.toJson(null, NOW.plusSeconds(1));
        assertThat(desired.isIn(byAnotherReplica)).isTrue();
        assertThat(DesiredStatus.accepted(3, List.of()).isIn(written)).isFalse();
        assertThat(desired.isIn(JSON.missingNode())).isFalse();
    }

    @Test
    void aConditionKeepsItsTransitionTimeAndOtherWritersConditionsStay() throws Exception {
        JsonNode current = JSON.readTree("""
                {"observedGeneration": 1, "validationMessages": [{"type": {"code": "IST0101"}, "level": "ERROR"}],
                 "conditions": [{"type": "Reconciled", "status": "True", "reason": "Accepted", "message": "old",
                   "lastTransitionTime": "2026-01-01T00:00:00Z"}, {"type": "Other", "status": "True"}]}""");
        JsonNode status = DesiredStatus.accepted(2, List.of()).toJson(current, NOW);
        assertThat(status.path("validationMessages").isArray() && status.path("validationMessages").isEmpty())
                .as("an empty list clears the old messages").isTrue();
        assertThat(status.path("conditions").findValuesAsText("type")).containsExactly("Other", "Reconciled");
        assertThat(status.path("conditions").get(1).path("lastTransitionTime").asText()).isEqualTo("2026-01-01T00:00:00Z");
        JsonNode rejected = DesiredStatus.rejected(2, List.of(), "x").toJson(current, NOW);
        assertThat(rejected.path("conditions").get(1).path("lastTransitionTime").asText()).isEqualTo(NOW.toString());
    }

    @Test
    void aRejectedResourceSaysWhyAndGetsSchemaValidationErrors() throws Exception {
        AnalysisInput input = new AnalysisInput(List.of(), List.of(), List.of(new AnalysisInput.Rejected(
                IstioKind.DESTINATION_RULE, "shop", "odd", 4, List.of(FieldError.notSupported("spec.trafficPolicy.tls")))),
                dev.windlass.traffic.istio.analysis.ServiceRegistry.EMPTY);
        List<Finding> findings = Analyzer.analyze(input);
        List<StatusPlan.Write> writes = StatusPlan.writes(input, findings, (k, ns, n) -> Optional.of(JSON.missingNode()), NOW);
        JsonNode condition = writes.getFirst().status().path("conditions").get(0);
        assertThat(condition.path("status").asText()).isEqualTo("False");
        assertThat(condition.path("reason").asText()).isEqualTo("Rejected");
        assertThat(condition.path("message").asText())
                .isEqualTo("Rejected by windlass-discovery, not served to proxies: not supported by Windlass: spec.trafficPolicy.tls");
        assertThat(writes.getFirst().status().path("validationMessages").findValuesAsText("code")).containsExactly("IST0106");
    }

    @Test
    void objectsTheInformersDoNotKnowAreSkipped() throws Exception {
        AnalysisInput input = input("""
                {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
                 "metadata": {"name": "gone", "namespace": "shop"}, "spec": {"host": "nowhere.example.com"}}""");
        assertThat(StatusPlan.writes(input, Analyzer.analyze(input), (k, ns, n) -> Optional.empty(), NOW)).isEmpty();
    }

    @Test
    void runsAreDebouncedRateLimitedAndRetried() {
        RunSchedule schedule = new RunSchedule(Duration.ofMillis(1000), Duration.ofMillis(5000), Duration.ofMillis(500),
                Duration.ofMillis(60_000), Duration.ofMillis(3000));
        schedule.observe("a", 0);
        assertThat(schedule.due(0)).as("the first run is due at once").isTrue();
        schedule.ran(0, true);
        schedule.observe("a", 2000);
        assertThat(schedule.due(2000)).as("nothing changed").isFalse();
        for (long t = 2000; t <= 7000; t += 500) {
            schedule.observe("b" + t, t);
            assertThat(schedule.due(t)).as("still changing at " + t).isEqualTo(t >= 7000);
        }
        schedule.ran(7000, false);
        assertThat(schedule.due(7300)).as("min interval").isFalse();
        assertThat(schedule.due(9999)).isFalse();
        assertThat(schedule.due(10_000)).as("retry after a failed write").isTrue();
        schedule.ran(10_000, true);
        schedule.observe("c", 10_100);
        assertThat(schedule.due(10_600)).as("quiet not over").isFalse();
        assertThat(schedule.due(11_100)).as("quiet over").isTrue();
        schedule.ran(11_100, true);
        assertThat(schedule.due(71_099)).isFalse();
        assertThat(schedule.due(71_100)).as("resync").isTrue();
    }

    private static AnalysisInput input(String... objects) throws Exception {
        AnalysisInputBuilder builder = new AnalysisInputBuilder();
        for (String object : objects) {
            builder.add(JSON.readTree(object), "default", null);
        }
        return builder.build();
    }
}
