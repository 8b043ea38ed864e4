package dev.windlass.operator.revisions;

import dev.windlass.contract.Labels;
import dev.windlass.operator.install.MeshLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mesh's MeshRevisions are the operator's record of what runs, read-only for users: a ValidatingAdmissionPolicy
 * lets only the operator itself (the identity it runs as) and the garbage collector create, change or delete them.
 * Their status is a subresource and not matched. One policy per revision-based mesh, matching that mesh's
 * revisions by label, so it is pruned with the mesh like everything else the operator applies.
 */
public final class RevisionWriteProtection {
    static final String GARBAGE_COLLECTOR = "system:serviceaccount:kube-system:generic-garbage-collector";

    private RevisionWriteProtection() {
    }

    public static String name(String instance) {
        return "windlass-meshrevisions-" + instance;
    }

    /** @param operatorUser the username the operator's requests carry (a SelfSubjectReview tells it) */
    public static List<HasMetadata> render(String instance, String operatorUser) {
        String name = name(instance);
        Map<String, String> labels = new HashMap<>(MeshLabels.of(instance));
        labels.put(Labels.COMPONENT, RevisionObjects.COMPONENT);
        return List.of(new ValidatingAdmissionPolicyBuilder()
                        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                        .withNewSpec().withFailurePolicy("Fail")
                        .withNewMatchConstraints().addNewResourceRule().withApiGroups("mesh.windlass.dev").withApiVersions("*")
                        .withResources("meshrevisions").withOperations("CREATE", "UPDATE", "DELETE").endResourceRule()
                        .endMatchConstraints()
                        .addNewMatchCondition().withName("revision-of-" + instance)
                        .withExpression(ofInstance("object", instance) + " || " + ofInstance("oldObject", instance)).endMatchCondition()
                        .addNewValidation()
                        .withExpression("request.userInfo.username in ['" + operatorUser + "', '" + GARBAGE_COLLECTOR + "']")
                        .withMessage("MeshRevisions of the mesh " + instance + " are managed by the Windlass operator and"
                                + " read-only: change the MeshControlPlane " + instance + " instead")
                        .withReason("Forbidden").endValidation()
                        .endSpec().build(),
                new ValidatingAdmissionPolicyBindingBuilder()
                        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                        .withNewSpec().withPolicyName(name).withValidationActions("Deny").endSpec().build());
    }

    /** CEL: the request's object (null on DELETE) or old object (null on CREATE) is one of this mesh's revisions. */
    private static String ofInstance(String variable, String instance) {
        return "(" + variable + " != null && has(" + variable + ".metadata.labels) && '" + Labels.INSTANCE + "' in "
                + variable + ".metadata.labels && " + variable + ".metadata.labels['" + Labels.INSTANCE + "'] == '" + instance + "')";
    }
}
