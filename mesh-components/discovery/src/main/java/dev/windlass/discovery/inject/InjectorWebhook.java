package dev.windlass.discovery.inject;

import dev.windlass.contract.Revisions;
import dev.windlass.discovery.DiscoveryConfig;
import dev.windlass.discovery.ca.CaSecret;
import dev.windlass.discovery.ca.CertificateAuthority;
import dev.windlass.discovery.ca.Pem;
import dev.windlass.discovery.ca.ServingCertificates;
import dev.windlass.discovery.metrics.Metrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The discovery server's admission webhooks, the sidecar injector ({@code /inject}) and the traffic API's
 * validation ({@code /validate}): the CA from the {@code windlass-ca} Secret, a serving certificate it issues for
 * the discovery Service (renewed before it expires), the HTTPS server, the injector ConfigMap's informer, and the
 * caBundle writers of both webhook configurations.
 */
public final class InjectorWebhook implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InjectorWebhook.class);
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final CertificateAuthority ca;
    private WebhookServer server;

    private InjectorWebhook(CertificateAuthority ca) {
        this.ca = ca;
    }

    /**
     * Starts it all; returns once the server listens and the injector ConfigMap's first list is in.
     *
     * @param namespaceLabels the Namespace informer's labels (KubeWatcher), empty when it has not seen one
     * @param extraIps        more IP SANs for the serving certificate (tests call it at 127.0.0.1)
     */
    public static InjectorWebhook start(KubernetesClient client, DiscoveryConfig config,
                                        Function<String, Optional<Map<String, String>>> namespaceLabels,
                                        Metrics metrics, List<String> extraIps) throws IOException {
        InjectorWebhook webhook = new InjectorWebhook(CaSecret.loadOrCreate(client, config.namespace()));
        try {
            InjectorConfigSource source = new InjectorConfigSource(config.namespace(),
                    config.revisioned(Revisions.INJECTOR)).start(client);
            webhook.parts.add(source);
            String caPem = Pem.write(webhook.ca.certificate());
            // Sidecars mount the CA root the publisher below keeps in every namespace (the template's volume).
            AdmissionHandler handler = new AdmissionHandler(source::current,
                    new NamespaceLabels(namespaceLabels, client), config.namespace(), metrics);
            ServingCertificates serving = ServingCertificates.start("webhooks", webhook.ca,
                    config.serviceNames(), extraIps, config.servingCertTtl());
            webhook.parts.add(serving);
            webhook.server = new WebhookServer(new InetSocketAddress(config.bindAddress(), config.webhookPort()),
                    serving.serverContext(), handler, new ValidationHandler(metrics)).start();
            webhook.parts.add(webhook.server);
            webhook.parts.add(new CaRootPublisher(client, config.namespace(), caPem, config.webhookConfigurationName()).start());
            webhook.parts.add(CaBundleWriter.mutating(client, config.webhookConfigurationName(), caPem).start());
            webhook.parts.add(CaBundleWriter.validating(client, config.validationConfigurationName(), caPem).start());
        } catch (IOException | RuntimeException e) {
            webhook.close();
            throw e;
        }
        LOG.info("injector and validation webhooks on :{} (HTTPS), config {}, caBundle into {} and {}", webhook.port(),
                config.revisioned(Revisions.INJECTOR), config.webhookConfigurationName(),
                config.validationConfigurationName());
        return webhook;
    }

    public int port() {
        return server.port();
    }

    public CertificateAuthority ca() {
        return ca;
    }

    @Override
    public void close() {
        for (AutoCloseable part : parts.reversed()) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", part.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
