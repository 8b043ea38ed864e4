package dev.windlass.caprotocol;

import dev.windlass.contract.SpiffeId;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A PKCS#10 certificate request (RFC 2986) for an EC P-256 key, with the workload's SPIFFE id as its one URI SAN
 * (an extensionRequest attribute) and an empty subject, as Istio's agent sends it. Written in DER by hand: it is
 * one fixed shape, and the sidecar would otherwise load BouncyCastle for it (its tests parse it with BouncyCastle).
 */
public final class Pkcs10 {
    private static final byte[] OID_EC_SHA256 = Der.oid(1, 2, 840, 10045, 4, 3, 2);
    private static final byte[] OID_EXTENSION_REQUEST = Der.oid(1, 2, 840, 113549, 1, 9, 14);
    private static final byte[] OID_SUBJECT_ALT_NAME = Der.oid(2, 5, 29, 17);

    private Pkcs10() {
    }

    /** A fresh EC P-256 key pair: the mesh's one key type (the CA's, serving and workload keys). */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key generator: " + e.getMessage(), e);
        }
    }

    /** The request in PEM, signed by {@code keys}. */
    public static String pem(KeyPair keys, SpiffeId identity) {
        byte[] der = der(keys, identity);
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    static byte[] der(KeyPair keys, SpiffeId identity) {
        byte[] uri = Der.tlv(0x86, identity.uri().getBytes(StandardCharsets.US_ASCII)); // [6] IMPLICIT IA5String
        byte[] extension = Der.tlv(0x30, OID_SUBJECT_ALT_NAME, Der.tlv(0x04, Der.tlv(0x30, uri)));
        byte[] attribute = Der.tlv(0x30, OID_EXTENSION_REQUEST, Der.tlv(0x31, Der.tlv(0x30, extension)));
        byte[] info = Der.tlv(0x30, new byte[]{0x02, 0x01, 0x00}, Der.tlv(0x30), keys.getPublic().getEncoded(), Der.tlv(0xA0, attribute));
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(info);
            byte[] signature = signer.sign();
            byte[] bits = new byte[signature.length + 1]; // leading 0: no unused bits
            System.arraycopy(signature, 0, bits, 1, signature.length);
            return Der.tlv(0x30, info, Der.tlv(0x30, OID_EC_SHA256), Der.tlv(0x03, bits));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the certificate request: " + e.getMessage(), e);
        }
    }
}
