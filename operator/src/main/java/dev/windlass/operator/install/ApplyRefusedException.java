package dev.windlass.operator.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The API server refused one rendered object. The message names the object, the field and the value the server
 * named, never the client's request dump, so that it can stand in a condition as it is.
 */
public final class ApplyRefusedException extends RuntimeException {
    /** How RBAC words a refusal of the operator's own request, or of a role granting more than it holds. */
    private static final Pattern RBAC_DENIAL = Pattern.compile("is forbidden: [Uu]ser \"");

    private final int code;
    private final boolean namespaceTerminating;
    private final boolean rbacDenial;

    private ApplyRefusedException(String message, KubernetesClientException cause) {
        super(message, cause);
        this.code = cause.getCode();
        this.namespaceTerminating = causes(cause).stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
        this.rbacDenial = code == 403 && RBAC_DENIAL.matcher(String.valueOf(cause.getMessage())).find();
    }

    public static ApplyRefusedException of(HasMetadata object, KubernetesClientException error) {
        return new ApplyRefusedException(ObjectKey.of(object) + ": " + describe(error), error);
    }

    /** The namespace is still being deleted (a refused plan's, say): wait for it rather than report. */
    public boolean namespaceTerminating() {
        return namespaceTerminating;
    }

    /**
     * A refusal for what the object says (invalid, forbidden by a policy) rather than a passing failure. RBAC's
     * refusal is not the spec's fault: the operator lacks a permission (a CSV's rule dropped, say), and once the
     * permission is back the same spec must go on, so it is retried as an apply failure.
     */
    public boolean permanent() {
        return code == 400 || code == 403 && !rbacDenial || code == 404 || code == 422;
    }

    /** The API server's own words: "field: Invalid value: \"lots\": must be ..." for each cause, else its message. */
    static String describe(KubernetesClientException error) {
        Status status = error.getStatus();
        if (status == null) {
            return error.getCause() == null ? "the API server could not be reached" : "the API server could not be reached: "
                    + error.getCause().getMessage();
        }
        String detail = causes(error).stream().filter(c -> c.getMessage() != null)
                .map(c -> c.getField() == null ? c.getMessage() : c.getField() + ": " + c.getMessage())
                .collect(Collectors.joining("; "));
        String message = status.getMessage() == null ? status.getReason() : status.getMessage();
        return (detail.isEmpty() || message != null && message.contains(detail) ? message : detail)
                + " (" + status.getCode() + " " + status.getReason() + ")";
    }

    private static List<StatusCause> causes(KubernetesClientException error) {
        Status status = error.getStatus();
        return status == null || status.getDetails() == null || status.getDetails().getCauses() == null ? List.of()
                : status.getDetails().getCauses();
    }
}
