package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.DestinationRuleSpec.ClientTls;

import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code tls} of a DestinationRule traffic policy (Istio's ClientTLSSettings, validateTLS): TLS origination
 * from the client's proxy. Windlass implements DISABLE and SIMPLE; MUTUAL and ISTIO_MUTUAL are refused by name
 * until mTLS is implemented. Istio's own rule for SIMPLE: no CA bundle or names to check together with
 * {@code insecureSkipVerify}. Where Istio would accept a field and ignore it (anything but the mode under
 * DISABLE), Windlass refuses it, so that an accepted field always takes effect.
 */
final class ClientTlsRules {
    static final Set<String> MODES = Set.of(ClientTls.DISABLE, ClientTls.SIMPLE, "MUTUAL", "ISTIO_MUTUAL");

    private ClientTlsRules() {
    }

    static void check(String path, ClientTls tls, Errors errors) {
        if (tls == null) {
            return;
        }
        String mode = tls.modeOrDefault();
        if (!MODES.contains(mode)) {
            errors.add(path + ".mode", "\"" + mode + "\" is not one of " + new TreeSet<>(MODES));
        } else if (!mode.equals(ClientTls.DISABLE) && !mode.equals(ClientTls.SIMPLE)) {
            errors.notSupported(path + ".mode", mode + ": Windlass originates SIMPLE TLS only; mTLS is not implemented");
        } else if (mode.equals(ClientTls.DISABLE)) {
            unused(path + ".sni", tls.sni() != null, errors);
            unused(path + ".caCertificates", tls.caCertificates() != null, errors);
            unused(path + ".subjectAltNames", !tls.subjectAltNames().isEmpty(), errors);
            unused(path + ".insecureSkipVerify", tls.insecureSkipVerify() != null, errors);
        } else {
            simple(path, tls, errors);
        }
    }

    private static void simple(String path, ClientTls tls, Errors errors) {
        if (tls.skipsVerification() && (tls.caCertificates() != null || !tls.subjectAltNames().isEmpty())) {
            errors.add(path, "cannot specify CaCertificates or CredentialName or SubjectAltNames when "
                    + "InsecureSkipVerify is set true");
        }
        if (tls.sni() != null && tls.sni().isEmpty()) {
            errors.add(path + ".sni", "must not be empty");
        }
        if (tls.caCertificates() != null && !tls.caCertificates().startsWith("/")) {
            errors.add(path + ".caCertificates", "must be an absolute file path in the proxy, got \""
                    + tls.caCertificates() + "\"");
        }
        for (int i = 0; i < tls.subjectAltNames().size(); i++) {
            if (tls.subjectAltNames().get(i) == null || tls.subjectAltNames().get(i).isEmpty()) {
                errors.add(path + ".subjectAltNames[" + i + "]", "must not be empty");
            }
        }
    }

    private static void unused(String path, boolean set, Errors errors) {
        if (set) {
            errors.add(path, "not used by mode DISABLE (no TLS is originated)");
        }
    }
}
