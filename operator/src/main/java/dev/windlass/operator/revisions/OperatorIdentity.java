package dev.windlass.operator.revisions;

import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Who the operator is to the apiserver, asked once with a SelfSubjectReview (every authenticated user may), so
 * that RevisionWriteProtection names the real identity however the operator was installed: the CLI's service
 * account, OLM's, or a developer's kubeconfig.
 */
public final class OperatorIdentity {
    private OperatorIdentity() {
    }

    public static String username(KubernetesClient client) {
        SelfSubjectReview review = client.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
        String username = review.getStatus() == null || review.getStatus().getUserInfo() == null ? null
                : review.getStatus().getUserInfo().getUsername();
        if (username == null || username.isEmpty()) {
            throw new IllegalStateException("the apiserver did not say who the operator is (SelfSubjectReview without a username)");
        }
        return username;
    }
}
