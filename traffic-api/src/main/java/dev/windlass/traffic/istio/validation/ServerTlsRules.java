package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.GatewaySpec;
import dev.windlass.traffic.istio.GatewaySpec.ServerTls;
import dev.windlass.traffic.istio.ServerProtocol;

import java.util.List;
import java.util.Set;

/**
 * The {@code tls} block of a Gateway server, by Istio's validateTLSOptions and validateServer: a plain-text HTTP
 * server takes only {@code httpsRedirect}; HTTPS and TLS servers pass TLS through by SNI (PASSTHROUGH, Istio's
 * default mode) or terminate it (SIMPLE, MUTUAL; TLS termination is for HTTPS servers only in Windlass) with
 * exactly one certificate source: {@code credentialName}, or {@code serverCertificate} and {@code privateKey}
 * files (and {@code caCertificates} for MUTUAL).
 */
final class ServerTlsRules {
    static final Set<String> MODES = Set.of(ServerTls.PASSTHROUGH, ServerTls.SIMPLE, ServerTls.MUTUAL,
            "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL");
    static final Set<String> VERSIONS = Set.of("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3");
    /**
     * Istio's ValidCipherSuites (BoringSSL's non-PSK suites, OpenSSL names) without DES-CBC3-SHA: the gateway's
     * TLS stack (the JDK's) has 3DES disabled, so accepting it would mean ignoring it.
     */
    static final Set<String> CIPHER_SUITES = Set.of("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305",
            "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA",
            "ECDHE-RSA-AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA");

    private ServerTlsRules() {
    }

    static void check(String path, GatewaySpec.Server server, ServerProtocol protocol, Errors errors) {
        ServerTls tls = server.tls();
        String mode = server.tlsMode();
        if (!MODES.contains(mode)) {
            errors.add(path + ".mode", "\"" + mode + "\" is not one of " + new java.util.TreeSet<>(MODES));
            return;
        }
        if (protocol.isHttp()) {
            plainHttp(path, tls, errors);
        } else if (!protocol.isTls()) {
            errors.add(path, "server cannot have TLS settings for non HTTPS/TLS ports");
        } else if (tls.redirectsToHttps() && protocol != ServerProtocol.HTTPS) {
            errors.add(path + ".httpsRedirect", "tls.httpsRedirect should only be used with http servers");
        } else if (!mode.equals(ServerTls.PASSTHROUGH) && !mode.equals(ServerTls.SIMPLE) && !mode.equals(ServerTls.MUTUAL)) {
            errors.notSupported(path + ".mode", mode);
        } else if (mode.equals(ServerTls.PASSTHROUGH)) {
            passthrough(path, tls, errors);
        } else if (protocol == ServerProtocol.TLS) {
            errors.notSupported(path + ".mode", mode + " on a TLS server: TLS termination is for HTTPS servers; "
                    + "use PASSTHROUGH, or protocol HTTPS");
        } else {
            terminating(path, tls, mode, errors);
        }
    }

    /**
     * Istio allows a TLS block on a plain-text HTTP server only for the redirect: mode PASSTHROUGH (the default)
     * and no certificate. Whatever else it holds would be ignored, so it is refused.
     */
    private static void plainHttp(String path, ServerTls tls, Errors errors) {
        if (tls.mode() != null && !tls.mode().equals(ServerTls.PASSTHROUGH) || tls.serverCertificate() != null
                || tls.privateKey() != null || tls.caCertificates() != null) {
            errors.add(path, "server cannot have TLS settings for plain text HTTP ports");
            return;
        }
        unused(path + ".credentialName", tls.credentialName() != null, "a plain text HTTP server", errors);
        termination(path, tls, "a plain text HTTP server", errors);
    }

    /** Nothing of a certificate or of the handshake is used when TLS passes through. */
    private static void passthrough(String path, ServerTls tls, Errors errors) {
        for (String[] field : new String[][] {{"serverCertificate", tls.serverCertificate()},
                {"privateKey", tls.privateKey()}, {"caCertificates", tls.caCertificates()},
                {"credentialName", tls.credentialName()}}) {
            if (field[1] != null) {
                errors.add(path + "." + field[0], "PASSTHROUGH mode does not use certificates");
            }
        }
        termination(path, tls, "PASSTHROUGH mode (TLS is not terminated)", errors);
    }

    private static void termination(String path, ServerTls tls, String where, Errors errors) {
        unused(path + ".subjectAltNames", !tls.subjectAltNames().isEmpty(), where, errors);
        unused(path + ".minProtocolVersion", tls.minProtocolVersion() != null, where, errors);
        unused(path + ".maxProtocolVersion", tls.maxProtocolVersion() != null, where, errors);
        unused(path + ".cipherSuites", !tls.cipherSuites().isEmpty(), where, errors);
    }

    private static void unused(String path, boolean set, String where, Errors errors) {
        if (set) {
            errors.add(path, "not used by " + where);
        }
    }

    /** SIMPLE or MUTUAL on an HTTPS server. */
    private static void terminating(String path, ServerTls tls, String mode, Errors errors) {
        String prefix = mode.equals(ServerTls.MUTUAL) ? "MUTUAL TLS" : "SIMPLE TLS";
        boolean files = tls.serverCertificate() != null && tls.privateKey() != null;
        if (files && tls.credentialName() != null) {
            errors.add(path, "only one of credential_name, credential_names, server_certificate/private_key, "
                    + "tls_certificates should be specified");
        } else if (tls.credentialName() != null) {
            unused(path + ".caCertificates", tls.caCertificates() != null,
                    "credentialName (the CA comes from the Secret's ca.crt, or from the Secret <name>-cacert)", errors);
        } else {
            if (mode.equals(ServerTls.MUTUAL) && tls.caCertificates() == null) {
                errors.add(path + ".caCertificates", prefix + " requires a client CA bundle");
            }
            required(path + ".serverCertificate", tls.serverCertificate(), prefix + " requires a server certificate", errors);
            required(path + ".privateKey", tls.privateKey(), prefix + " requires a private key", errors);
        }
        if (mode.equals(ServerTls.SIMPLE)) {
            unused(path + ".caCertificates", tls.caCertificates() != null && tls.credentialName() == null,
                    "mode SIMPLE (no client certificate is asked for)", errors);
            unused(path + ".subjectAltNames", !tls.subjectAltNames().isEmpty(), "mode SIMPLE (no client certificate is asked for)", errors);
        }
        version(path + ".minProtocolVersion", tls.minProtocolVersion(), errors);
        version(path + ".maxProtocolVersion", tls.maxProtocolVersion(), errors);
        ciphers(path + ".cipherSuites", tls.cipherSuites(), errors);
    }

    private static void required(String path, String value, String message, Errors errors) {
        if (value == null || value.isEmpty()) {
            errors.add(path, message);
        }
    }

    private static void version(String path, String version, Errors errors) {
        if (version == null) {
            return;
        }
        if (!VERSIONS.contains(version)) {
            errors.add(path, "\"" + version + "\" is not one of " + new java.util.TreeSet<>(VERSIONS));
        } else if (version.equals("TLSV1_0") || version.equals("TLSV1_1")) {
            errors.notSupported(path, version + ": the gateway's TLS stack offers TLS 1.2 and 1.3 only");
        }
    }

    private static void ciphers(String path, List<String> suites, Errors errors) {
        for (int i = 0; i < suites.size(); i++) {
            String suite = suites.get(i);
            if (!CIPHER_SUITES.contains(suite)) {
                errors.add(path + "[" + i + "]", "invalid cipher suite \"" + suite + "\" (one of "
                        + new java.util.TreeSet<>(CIPHER_SUITES) + ")");
            }
        }
    }
}
