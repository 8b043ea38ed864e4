package dev.windlass.operator.install;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApplyRefusedExceptionTest {
    private static ApplyRefusedException refused(int code, String reason, String message) {
        var status = new StatusBuilder().withCode(code).withReason(reason).withMessage(message).build();
        return ApplyRefusedException.of(new ConfigMapBuilder().withNewMetadata().withName("windlass").withNamespace("mesh")
                .endMetadata().build(), new KubernetesClientException(status));
    }

    @Test
    void anInvalidObjectOrAPolicysDenialIsTheSpecsFault() {
        assertThat(refused(422, "Invalid", "ConfigMap \"windlass\" is invalid: data: Invalid value").permanent()).isTrue();
        assertThat(refused(403, "Forbidden", "configmaps \"windlass\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' "
                + "denied request: no").permanent()).isTrue();
        assertThat(refused(403, "Forbidden", "admission webhook \"v.example.com\" denied the request: no").permanent()).isTrue();
    }

    /** A permission the operator lacks comes back with the CSV's rule; the same spec must then go on. */
    @Test
    void rbacRefusingTheOperatorIsRetriedNotBlamedOnTheSpec() {
        assertThat(refused(403, "Forbidden", "clusterroles.rbac.authorization.k8s.io \"windlass-discovery\" is forbidden: user "
                + "\"system:serviceaccount:operators:windlass-operator\" (groups=[\"system:serviceaccounts\"]) is attempting to grant "
                + "RBAC permissions not currently held").permanent()).isFalse();
        assertThat(refused(403, "Forbidden", "configmaps \"windlass\" is forbidden: User \"system:serviceaccount:operators:windlass-operator\" "
                + "cannot patch resource \"configmaps\" in API group \"\" in the namespace \"mesh\"").permanent()).isFalse();
        assertThat(refused(500, "InternalError", "etcd timeout").permanent()).isFalse();
    }
}
