package dev.windlass.proxy.config;

import io.netty.handler.ssl.CipherSuiteConverter;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * TLS 1.2 cipher suites as Istio writes them (OpenSSL names, e.g. ECDHE-RSA-AES128-GCM-SHA256) or by their IANA
 * names, to IANA names. A name no TLS stack here knows is refused, as Envoy refuses it; so are BoringSSL's
 * equal-preference groups ({@code [A|B]}), whose semantics neither stack offers.
 */
final class CipherSuites {
    private static final Set<String> SUPPORTED = supported();

    private CipherSuites() {
    }

    static List<String> toJava(String where, List<String> names) throws InvalidConfigException {
        List<String> java = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith("[")) {
                throw new InvalidConfigException(where + ": cipher suite group " + name + " is not supported by Windlass");
            }
            String converted = SUPPORTED.contains(name) ? name : CipherSuiteConverter.toJava(name, "TLS");
            if (converted == null || !SUPPORTED.contains(converted)) {
                throw new InvalidConfigException(where + ": unknown cipher suite " + name);
            }
            java.add(converted);
        }
        return java;
    }

    private static Set<String> supported() {
        try {
            return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }
}
