package dev.windlass.e2e.gateway;

import dev.windlass.profiles.render.OperatorResources;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestUpstream;
import dev.windlass.proxy.testing.TlsClient;
import dev.windlass.proxy.testing.TlsResources;
import dev.windlass.testsupport.ApiServer;
import dev.windlass.testsupport.tls.TestPki;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tier 2: a gateway proxy resolves {@code kubernetes://<credentialName>} itself from the real kube-apiserver, as
 * its own service account (a token from the TokenRequest API; the gateway's binding, in its namespace only, to the
 * install's ClusterRole: get/list/watch Secrets). A rotated Secret reaches new handshakes without a restart; MUTUAL takes its CA from the
 * Secret's ca.crt; a deleted Secret makes only its chain refuse handshakes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayCredentialsApiServerTest {
    private static final String CLUSTER = "outbound|80||app.test.svc.cluster.local";
    private static final String ROUTES = "https.443.https.gw.test";

    @TempDir
    Path account;
    private KubernetesClient kube;
    private String namespace;
    private TestPki.Issued ca;
    private TestUpstream upstream;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        kube = ApiServer.client();
        namespace = "gw-credentials-" + Long.toHexString(System.nanoTime()).substring(6);
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        ca = TestPki.ca("credentials CA");
        upstream = new TestUpstream("app");
        URI api = URI.create(kube.getConfiguration().getMasterUrl());
        gateway = new RoutedGateway(Map.of("POD_NAMESPACE", namespace, "CREDENTIAL_POLL_SECONDS", "2",
                "KUBERNETES_SERVICE_HOST", api.getHost(), "KUBERNETES_SERVICE_PORT", String.valueOf(api.getPort()),
                "SERVICE_ACCOUNT_DIR", serviceAccount("windlass-ingressgateway").toString()));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (namespace != null) {
            kube.namespaces().withName(namespace).delete();
        }
    }

    /**
     * The gateway's identity as the profiles render it: a ServiceAccount, bound in its namespace to the operator
     * install's ClusterRole on Secrets; its token.
     */
    private Path serviceAccount(String name) throws IOException {
        kube.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(name).endMetadata().build()).create();
        OperatorResources.boundRoles().stream().filter(r -> r.getMetadata().getName().equals(OperatorResources.GATEWAY_CREDENTIALS_ROLE))
                .forEach(r -> kube.resource(r).fieldManager("test").forceConflicts().serverSideApply());
        kube.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", OperatorResources.GATEWAY_CREDENTIALS_ROLE)
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(namespace).endSubject().build()).create();
        String token = kube.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        Files.writeString(account.resolve("token"), token);
        String caData = kube.getConfiguration().getCaCertData();
        Files.write(account.resolve("ca.crt"), caData != null ? Base64.getDecoder().decode(caData)
                : Files.readAllBytes(Path.of(kube.getConfiguration().getCaCertFile())));
        return account;
    }

    private void putSecret(String name, TestPki.Issued certificate, TestPki.Issued clientCa) {
        SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).endMetadata().withType("kubernetes.io/tls")
                .addToStringData("tls.crt", certificate.certificatePem()).addToStringData("tls.key", certificate.keyPem());
        if (clientCa != null) {
            secret.addToStringData("ca.crt", clientCa.certificatePem());
        }
        kube.secrets().inNamespace(namespace).resource(secret.build()).serverSideApply();
    }

    private void serve(FilterChain... chains) throws Exception {
        gateway.serve(TlsResources.listener(gateway.port, List.of(chains)),
                Resources.routes(ROUTES, Resources.virtualHost("*:443", List.of("*"), CLUSTER)),
                Map.of(CLUSTER, List.of(upstream.address())));
    }

    private BigInteger serial(SSLContext client, String sni) throws IOException {
        return TlsClient.get(client, gateway.port, sni, "/").peer().getSerialNumber();
    }

    @Test
    void aCredentialNameSecretIsServedAndItsRotationSeenWithin30Seconds() throws Exception {
        TestPki.Issued first = TestPki.server(ca, "shop.example.com");
        putSecret("shop-credential", first, null);
        serve(TlsResources.httpsChain(ROUTES, TlsResources.downstream(TlsResources.sdsCertificate("shop-credential"), false),
                "shop.example.com"));
        SSLContext client = TestPki.clientContext(ca, null);
        assertThat(serial(client, "shop.example.com")).isEqualTo(first.serial());

        TestPki.Issued second = TestPki.server(ca, "shop.example.com");
        putSecret("shop-credential", second, null);
        long rotated = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(serial(client, "shop.example.com")).isEqualTo(second.serial()));
        assertThat(Duration.ofNanos(System.nanoTime() - rotated)).isLessThan(Duration.ofSeconds(30));

        kube.secrets().inNamespace(namespace).withName("shop-credential").delete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThatThrownBy(() -> serial(client, "shop.example.com")).isInstanceOf(IOException.class));
    }

    @Test
    void mutualTakesTheClientCaFromTheSecretsCaCrt() throws Exception {
        TestPki.Issued clientCa = TestPki.ca("client CA");
        putSecret("api-credential", TestPki.server(ca, "api.example.com"), clientCa);
        CommonTlsContext.Builder mutual = TlsResources.sdsCertificate("api-credential")
                .setValidationContextSdsSecretConfig(TlsResources.sds("kubernetes://api-credential-cacert"));
        serve(TlsResources.httpsChain(ROUTES, TlsResources.downstream(mutual, true), "api.example.com"));

        TestPki.Issued clientCertificate = TestPki.client(clientCa, "client", List.of("client.example.com"), List.of());
        assertThat(TlsClient.get(TestPki.clientContext(ca, clientCertificate), gateway.port, "api.example.com", "/")
                .response().status()).isEqualTo(200);
        assertThatThrownBy(() -> TlsClient.get(TestPki.clientContext(ca, null), gateway.port, "api.example.com", "/"))
                .as("a client without a certificate").isInstanceOf(IOException.class);
    }
}
