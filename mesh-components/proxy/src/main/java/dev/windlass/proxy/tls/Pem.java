package dev.windlass.proxy.tls;

import dev.windlass.caprotocol.KeyPairs;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM certificates and private keys as Kubernetes TLS Secrets and cert-manager write them: PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE KEY}) keys. Error
 * messages describe the input, never its content.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final byte[] RSA_OID = HexFormat.of().parseHex("06092a864886f70d010101");
    private static final byte[] EC_OID = HexFormat.of().parseHex("06072a8648ce3d0201");

    private Pem() {
    }

    public static List<X509Certificate> certificates(byte[] pem, String what) throws GeneralSecurityException {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (var certificate : factory.generateCertificates(new ByteArrayInputStream(pem))) {
            certificates.add((X509Certificate) certificate);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException(what + " holds no PEM certificate");
        }
        return certificates;
    }

    static PrivateKey privateKey(byte[] pem, String what) throws GeneralSecurityException {
        Matcher block = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        while (block.find()) {
            String type = block.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(der, what);
                case "RSA PRIVATE KEY" -> pkcs8(Der.pkcs8(RSA_OID, new byte[]{0x05, 0x00}, der), what);
                case "EC PRIVATE KEY" -> pkcs8(Der.pkcs8(EC_OID, Der.sec1Curve(der), der), what);
                default -> throw new GeneralSecurityException(what + ": " + type + " keys are not supported");
            };
        }
        throw new GeneralSecurityException(what + " holds no PEM private key");
    }

    private static PrivateKey pkcs8(byte[] der, String what) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // the next algorithm
            }
        }
        throw new GeneralSecurityException(what + ": not an RSA, EC or Ed25519 private key");
    }

    /** Whether {@code key} belongs to {@code certificate}: a signature made with one verifies with the other. */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        return KeyPairs.belongTogether(key, certificate.getPublicKey());
    }
}
