package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneStatus;
import dev.windlass.operator.status.MeshEvents;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Records an Event for every condition whose status or reason changes, so the CR's history reads as a story. */
final class StatusTransitions {
    private StatusTransitions() {
    }

    static void record(MeshControlPlane mcp, MeshControlPlaneStatus next, MeshEvents events) {
        List<Condition> before = mcp.getStatus() == null || mcp.getStatus().conditions() == null
                ? List.of() : mcp.getStatus().conditions();
        Map<String, Condition> previous = before.stream().collect(Collectors.toMap(Condition::getType, Function.identity(), (a, b) -> b));
        for (Condition condition : next.conditions()) {
            Condition old = previous.get(condition.getType());
            if (old == null || !Objects.equals(old.getStatus(), condition.getStatus())
                    || !Objects.equals(old.getReason(), condition.getReason())) {
                String message = condition.getType() + "=" + condition.getStatus() + ": " + condition.getMessage();
                if ("True".equals(condition.getStatus())) {
                    events.normal(mcp, condition.getReason(), message);
                } else {
                    events.warning(mcp, condition.getReason(), message);
                }
            }
        }
    }
}
