package dev.windlass.discovery.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.traffic.istio.FieldError;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.analysis.AnalysisInput;
import dev.windlass.traffic.istio.analysis.Finding;
import dev.windlass.traffic.istio.analysis.ResourceRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The status writes one analysis run calls for: for each VirtualService, DestinationRule and Gateway, its desired status,
 * compared with the status the object has now; only those that differ are written. A resource the cluster no
 * longer has (or not yet, as far as the informer knows) is skipped. Pure: the current statuses come in.
 */
final class StatusPlan {
    private StatusPlan() {
    }

    /** The current status of an object: empty when the object is unknown, a missing node when it has none. */
    interface CurrentStatus {
        Optional<JsonNode> of(IstioKind kind, String namespace, String name);
    }

    record Write(IstioKind kind, String namespace, String name, ObjectNode status) {
        String displayName() {
            return kind.kind() + " " + namespace + "/" + name;
        }
    }

    static List<Write> writes(AnalysisInput input, List<Finding> findings, CurrentStatus current, Instant now) {
        Map<ResourceRef, List<Finding>> byResource = findings.stream().collect(Collectors.groupingBy(Finding::resource));
        Map<ResourceRef, Desired> desired = new HashMap<>();
        List<IstioResource<?>> usable = new ArrayList<>(input.virtualServices());
        usable.addAll(input.destinationRules());
        usable.addAll(input.serviceEntries());
        usable.addAll(input.gateways());
        for (IstioResource<?> r : usable) {
            ResourceRef ref = new ResourceRef(r.kind().kind(), r.namespace(), r.name());
            desired.put(ref, new Desired(r.kind(), DesiredStatus.accepted(r.generation(), byResource.getOrDefault(ref, List.of()))));
        }
        for (AnalysisInput.Rejected r : input.rejected()) {
            String errors = r.errors().stream().map(FieldError::toString).collect(Collectors.joining("; "));
            desired.put(r.ref(), new Desired(r.kind(), DesiredStatus.rejected(r.generation(), byResource.getOrDefault(r.ref(), List.of()), errors)));
        }
        List<Write> writes = new ArrayList<>();
        desired.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ResourceRef ref = e.getKey();
            Optional<JsonNode> status = current.of(e.getValue().kind(), ref.namespace(), ref.name());
            if (status.isPresent() && !e.getValue().status().isIn(status.get())) {
                writes.add(new Write(e.getValue().kind(), ref.namespace(), ref.name(), e.getValue().status().toJson(status.get(), now)));
            }
        });
        return writes;
    }

    private record Desired(IstioKind kind, DesiredStatus status) {
    }
}
