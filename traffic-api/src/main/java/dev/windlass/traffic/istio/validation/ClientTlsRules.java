package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.DestinationRuleSpec.ClientTls;

import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code tls} of a DestinationRule traffic policy (Istio's ClientTLSSettings, validateTLS): TLS origination
 * from the client's proxy. Windlass implements DISABLE, SIMPLE and ISTIO_MUTUAL; MUTUAL (a client certificate of
 * the user's) is refused by name until implemented. Istio's own rules: for SIMPLE, no CA bundle or names to check
 * together with {@code insecureSkipVerify}; for ISTIO_MUTUAL, no CA bundle (the mesh's trust bundle is used). Where Istio would accept a field and ignore it (anything but the mode under
 * DISABLE), Windlass refuses it, so that an accepted field always takes effect.
 */
final class ClientTlsRules {
    static final Set<String> MODES = Set.of(ClientTls.DISABLE, ClientTls.SIMPLE, "MUTUAL", ClientTls.ISTIO_MUTUAL);

    private ClientTlsRules() {
    }

    static void check(String path, ClientTls tls, Errors errors) {
        if (tls == null) {
            return;
        }
        String mode = tls.modeOrDefault();
        if (!MODES.contains(mode)) {
            errors.add(path + ".mode", "\"" + mode + "\" is not one of " + new TreeSet<>(MODES));
        } else if (mode.equals("MUTUAL")) {
            errors.notSupported(path + ".mode", mode + ": Windlass originates SIMPLE TLS and the mesh's ISTIO_MUTUAL only");
        } else if (mode.equals(ClientTls.ISTIO_MUTUAL)) {
            if (tls.caCertificates() != null) {
                errors.add(path + ".caCertificates", "cannot specify client certificates or CA certificate or "
                        + "CredentialName If TLS mode is ISTIO_MUTUAL");
            }
            unused(path + ".insecureSkipVerify", tls.insecureSkipVerify() != null, errors, mode);
            names(path, tls, errors);
        } else if (mode.equals(ClientTls.DISABLE)) {
            unused(path + ".sni", tls.sni() != null, errors, mode);
            unused(path + ".caCertificates", tls.caCertificates() != null, errors, mode);
            unused(path + ".subjectAltNames", !tls.subjectAltNames().isEmpty(), errors, mode);
            unused(path + ".insecureSkipVerify", tls.insecureSkipVerify() != null, errors, mode);
        } else {
            simple(path, tls, errors);
        }
    }

    private static void simple(String path, ClientTls tls, Errors errors) {
        if (tls.skipsVerification() && (tls.caCertificates() != null || !tls.subjectAltNames().isEmpty())) {
            errors.add(path, "cannot specify CaCertificates or CredentialName or SubjectAltNames when "
                    + "InsecureSkipVerify is set true");
        }
        if (tls.caCertificates() != null && !tls.caCertificates().startsWith("/")) {
            errors.add(path + ".caCertificates", "must be an absolute file path in the proxy, got \""
                    + tls.caCertificates() + "\"");
        }
        names(path, tls, errors);
    }

    private static void names(String path, ClientTls tls, Errors errors) {
        if (tls.sni() != null && tls.sni().isEmpty()) {
            errors.add(path + ".sni", "must not be empty");
        }
        for (int i = 0; i < tls.subjectAltNames().size(); i++) {
            if (tls.subjectAltNames().get(i) == null || tls.subjectAltNames().get(i).isEmpty()) {
                errors.add(path + ".subjectAltNames[" + i + "]", "must not be empty");
            }
        }
    }

    private static void unused(String path, boolean set, Errors errors, String mode) {
        if (set) {
            errors.add(path, mode.equals(ClientTls.DISABLE) ? "not used by mode DISABLE (no TLS is originated)"
                    : "not used by mode " + mode + " (the server is verified against the mesh's trust bundle)");
        }
    }
}
