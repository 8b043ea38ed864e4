package dev.windlass.operator.conditions;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The four conditions of a MeshControlPlane (see shared/design.md). A condition keeps its lastTransitionTime
 * while its status stays the same, as Kubernetes conventions ask.
 */
public final class MeshConditions {
    public static final String RECONCILED = "Reconciled";
    public static final String READY = "Ready";
    public static final String UPGRADEABLE = "Upgradeable";
    public static final String DEPENDENCIES_HEALTHY = "DependenciesHealthy";
    public static final List<String> TYPES = List.of(RECONCILED, READY, UPGRADEABLE, DEPENDENCIES_HEALTHY);

    private final Map<String, Condition> previous;
    private final Map<String, Condition> next = new LinkedHashMap<>();
    private final long generation;
    private final List<String> types;

    public MeshConditions(List<Condition> previous, long generation) {
        this(previous, generation, TYPES);
    }

    /** @param types the condition types of the object, in the order its status lists them */
    public MeshConditions(List<Condition> previous, long generation, List<String> types) {
        this.types = types;
        this.previous = previous == null ? Map.of()
                : previous.stream().collect(Collectors.toMap(Condition::getType, Function.identity(), (a, b) -> b));
        this.generation = generation;
    }

    public MeshConditions set(String type, boolean status, String reason, String message) {
        String statusText = status ? "True" : "False";
        Condition old = previous.get(type);
        String since = old != null && statusText.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : Instant.now().toString();
        next.put(type, new ConditionBuilder().withType(type).withStatus(statusText).withReason(reason)
                .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(since).build());
        return this;
    }

    /** Leaves a condition as it was: a refused spec says nothing new about readiness. */
    public MeshConditions keep(String type) {
        Condition old = previous.get(type);
        if (old != null) {
            next.put(type, old);
        }
        return this;
    }

    public List<Condition> build() {
        List<Condition> conditions = new ArrayList<>();
        for (String type : types) {
            if (next.containsKey(type)) {
                conditions.add(next.get(type));
            }
        }
        return conditions;
    }
}
