package dev.windlass.caprotocol;

import com.google.protobuf.DynamicMessage;
import dev.windlass.contract.SpiffeId;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.security.KeyPair;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written request, read back by BouncyCastle (what the discovery server's CA uses). */
class Pkcs10Test {
    private static final SpiffeId IDENTITY = new SpiffeId("cluster.local", "bookinfo", "bookinfo-productpage");

    @Test
    void aRequestCarriesTheKeyAndTheSpiffeIdAndVerifiesWithItsOwnKey() throws Exception {
        KeyPair keys = Pkcs10.newKeyPair();
        String pem = Pkcs10.pem(keys, IDENTITY);

        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(new PemReader(new StringReader(pem)).readPemObject().getContent());
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))).isTrue();
        assertThat(csr.getSubjectPublicKeyInfo().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        Extensions extensions = Extensions.getInstance(
                csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        GeneralName[] names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName).getNames();
        assertThat(names).hasSize(1);
        assertThat(names[0].getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
        assertThat(names[0].getName().toString()).isEqualTo("spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage");
    }

    @Test
    void theCaMessagesRoundTripOnTheWire() throws Exception {
        DynamicMessage request = IstioCaProtocol.request("PEM", 3600);
        DynamicMessage parsed = IstioCaProtocol.CREATE_CERTIFICATE.parseRequest(
                IstioCaProtocol.CREATE_CERTIFICATE.streamRequest(request));
        assertThat(IstioCaProtocol.csr(parsed)).isEqualTo("PEM");
        assertThat(IstioCaProtocol.validitySeconds(parsed)).isEqualTo(3600);

        DynamicMessage response = IstioCaProtocol.CREATE_CERTIFICATE.parseResponse(
                IstioCaProtocol.CREATE_CERTIFICATE.streamResponse(IstioCaProtocol.response(List.of("leaf", "root"))));
        assertThat(IstioCaProtocol.chain(response)).containsExactly("leaf", "root");
        assertThat(IstioCaProtocol.CREATE_CERTIFICATE.getFullMethodName())
                .isEqualTo("istio.v1.auth.IstioCertificateService/CreateCertificate");
    }

    @Test
    void spiffeIdsParseAndRefuseOtherShapes() {
        assertThat(SpiffeId.parse(IDENTITY.uri())).isEqualTo(IDENTITY);
        for (String bad : List.of("spiffe://cluster.local/ns/a", "https://cluster.local/ns/a/sa/b", "spiffe://td/ns//sa/b")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpiffeId.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
