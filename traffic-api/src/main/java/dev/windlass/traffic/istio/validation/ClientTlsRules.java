package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.DestinationRuleSpec.ClientTls;

import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code tls} of a DestinationRule traffic policy (Istio's ClientTLSSettings, validateTLS): TLS origination
 * from the client's proxy: DISABLE, SIMPLE, MUTUAL and ISTIO_MUTUAL. Istio's own rules: for SIMPLE and MUTUAL, no CA
 * bundle or names to check together with {@code insecureSkipVerify}; for MUTUAL, a client certificate and its key,
 * or a {@code credentialName} and neither files nor CA bundle; for ISTIO_MUTUAL, none of them (the mesh's
 * certificate and trust bundle are used). Where Istio would accept a field and ignore it (anything but the mode under
 * DISABLE, client certificate fields under SIMPLE), Windlass refuses it, so that an accepted field always takes
 * effect; {@code credentialName} under SIMPLE (the CA from a Secret) is refused as not supported.
 */
final class ClientTlsRules {
    static final Set<String> MODES = Set.of(ClientTls.DISABLE, ClientTls.SIMPLE, ClientTls.MUTUAL, ClientTls.ISTIO_MUTUAL);

    private ClientTlsRules() {
    }

    static void check(String path, ClientTls tls, Errors errors) {
        if (tls == null) {
            return;
        }
        String mode = tls.modeOrDefault();
        if (!MODES.contains(mode)) {
            errors.add(path + ".mode", "\"" + mode + "\" is not one of " + new TreeSet<>(MODES));
        } else if (mode.equals(ClientTls.MUTUAL)) {
            simple(path, tls, errors);
            mutual(path, tls, errors);
        } else if (mode.equals(ClientTls.ISTIO_MUTUAL)) {
            if (tls.caCertificates() != null || tls.clientCertificate() != null || tls.privateKey() != null
                    || tls.credentialName() != null) {
                errors.add(path, "cannot specify client certificates or CA certificate or "
                        + "CredentialName If TLS mode is ISTIO_MUTUAL");
            }
            unused(path + ".insecureSkipVerify", tls.insecureSkipVerify() != null, errors, mode);
            names(path, tls, errors);
        } else if (mode.equals(ClientTls.DISABLE)) {
            unused(path + ".sni", tls.sni() != null, errors, mode);
            unused(path + ".caCertificates", tls.caCertificates() != null, errors, mode);
            unused(path + ".subjectAltNames", !tls.subjectAltNames().isEmpty(), errors, mode);
            unused(path + ".insecureSkipVerify", tls.insecureSkipVerify() != null, errors, mode);
            clientCertificateUnused(path, tls, errors, mode);
        } else {
            simple(path, tls, errors);
            clientCertificateUnused(path, tls, errors, mode);
            if (tls.credentialName() != null) {
                errors.notSupported(path + ".credentialName", "with mode SIMPLE (a CA from a Secret); use caCertificates");
            }
        }
    }

    /** MUTUAL: a certificate and key file, or a Secret, never both (Istio's rule). */
    private static void mutual(String path, ClientTls tls, Errors errors) {
        if (tls.credentialName() != null) {
            if (tls.clientCertificate() != null || tls.privateKey() != null || tls.caCertificates() != null) {
                errors.add(path, "cannot specify client certificates or CA certificate If credentialName is set");
            }
            if (tls.credentialName().isEmpty()) {
                errors.add(path + ".credentialName", "must not be empty");
            }
            return;
        }
        file(path + ".clientCertificate", tls.clientCertificate(), "client certificate required for mutual tls", errors);
        file(path + ".privateKey", tls.privateKey(), "private key required for mutual tls", errors);
    }

    private static void file(String path, String file, String missing, Errors errors) {
        if (file == null || file.isEmpty()) {
            errors.add(path, missing);
        } else if (!file.startsWith("/")) {
            errors.add(path, "must be an absolute file path in the proxy, got \"" + file + "\"");
        }
    }

    private static void clientCertificateUnused(String path, ClientTls tls, Errors errors, String mode) {
        String why = "not used by mode " + mode + " (only MUTUAL presents a client certificate)";
        if (tls.clientCertificate() != null) {
            errors.add(path + ".clientCertificate", why);
        }
        if (tls.privateKey() != null) {
            errors.add(path + ".privateKey", why);
        }
        if (mode.equals(ClientTls.DISABLE) && tls.credentialName() != null) {
            errors.add(path + ".credentialName", "not used by mode DISABLE (no TLS is originated)");
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
