package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.injector.InjectorJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** windlass kube-inject as a user runs it. */
class KubeInjectCommandTest {
    private static final String APP = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec: {ports: [{port: 9080}], selector: {app: reviews}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: reviews-v1, namespace: shop}
            spec:
              selector: {matchLabels: {app: reviews}}
              template:
                metadata: {labels: {app: reviews, version: v1}}
                spec:
                  containers:
                  - name: reviews
                    image: windlass/bookinfo:0.2.0
                    ports: [{containerPort: 9080}]
                    readinessProbe: {httpGet: {path: /health, port: 9080}}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: report}
            spec:
              schedule: "@daily"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: report, image: busybox}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: batch
              annotations: {sidecar.windlass.dev/inject: "false"}
            spec:
              containers: [{name: batch, image: busybox}]
            """;

    @Test
    void injectsEveryPodTemplateAndLeavesTheRestAlone(@TempDir Path dir) throws IOException {
        WindlassCliTest.Result result = WindlassCliTest.run("kube-inject", "-f", write(dir, "app.yaml", APP).toString());
        assertThat(result.err()).isEmpty();
        assertThat(result.code()).isZero();
        List<JsonNode> docs = documents(result.out());
        assertThat(docs).hasSize(4);
        assertThat(docs.get(0)).isEqualTo(documents(APP).get(0));
        JsonNode deployment = docs.get(1).path("spec").path("template");
        assertThat(names(deployment.path("spec").path("containers"))).containsExactly("reviews", "windlass-proxy");
        assertThat(names(deployment.path("spec").path("initContainers"))).containsExactly("windlass-init");
        assertThat(deployment.path("metadata").path("labels").path("windlass.dev/rev").asText()).isEqualTo("default");
        assertThat(deployment.path("spec").path("containers").get(0).path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/app-health/reviews/readyz");
        assertThat(names(docs.get(2).path("spec").path("jobTemplate").path("spec").path("template").path("spec")
                .path("containers"))).containsExactly("report", "windlass-proxy");
        assertThat(docs.get(3)).isEqualTo(documents(APP).get(3));
    }

    @Test
    void injectingTheOutputAgainChangesNothing(@TempDir Path dir) throws IOException {
        String once = WindlassCliTest.run("kube-inject", "-f", write(dir, "app.yaml", APP).toString()).out();
        WindlassCliTest.Result twice = WindlassCliTest.run("kube-inject", "-f", write(dir, "once.yaml", once).toString());
        assertThat(twice.code()).isZero();
        assertThat(twice.out()).isEqualTo(once);
    }

    @Test
    void aRevisionUsesThatRevisionsTemplate(@TempDir Path dir) throws IOException {
        WindlassCliTest.Result result = WindlassCliTest.run("kube-inject", "-f", write(dir, "app.yaml", APP).toString(),
                "--revision", "canary", "--profile", "demo");
        assertThat(result.code()).isZero();
        JsonNode template = documents(result.out()).get(1).path("spec").path("template");
        assertThat(template.path("metadata").path("labels").path("windlass.dev/rev").asText()).isEqualTo("canary");
        assertThat(result.out()).contains("windlass-discovery-canary.windlass-system.svc:15012");
    }

    @Test
    void theInjectorConfigCanComeFromTheClustersConfigMap(@TempDir Path dir) throws IOException {
        Path config = write(dir, "injector.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: windlass-sidecar-injector, namespace: mesh}
                data:
                  template.yaml: |
                    containers: [{name: windlass-proxy, image: registry.example/proxy:9}]
                  values.yaml: |
                    revision: default
                """);
        WindlassCliTest.Result result = WindlassCliTest.run("kube-inject", "-f", write(dir, "app.yaml", APP).toString(),
                "--injector-config", config.toString());
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("image: registry.example/proxy:9");
    }

    @Test
    void badInputExitsTwoNamingTheFileOrFlag(@TempDir Path dir) throws IOException {
        String missing = dir.resolve("nosuch.yaml").toString();
        assertThat(WindlassCliTest.run("kube-inject", "-f", missing).err()).isEqualTo("windlass: " + missing + ": no such file\n");
        Path broken = write(dir, "broken.yaml", "kind: Pod\nmetadata: [\n");
        WindlassCliTest.Result yaml = WindlassCliTest.run("kube-inject", "-f", broken.toString());
        assertThat(yaml.code()).isEqualTo(2);
        assertThat(yaml.err()).startsWith("windlass: " + broken + ":2:").contains("not valid YAML");
        Path noTemplate = write(dir, "deploy.yaml", "kind: Deployment\nmetadata: {name: web}\nspec: {}\n");
        assertThat(WindlassCliTest.run("kube-inject", "-f", noTemplate.toString()).err())
                .isEqualTo("windlass: " + noTemplate + ": document 1 (Deployment web): no pod template (spec.template.spec)\n");
        Path badAnnotation = write(dir, "pod.yaml", """
                kind: Pod
                metadata: {name: p, annotations: {sidecar.windlass.dev/proxyCPU: lots}}
                spec: {containers: [{name: app, image: busybox}]}
                """);
        assertThat(WindlassCliTest.run("kube-inject", "-f", badAnnotation.toString()).err()).isEqualTo("windlass: "
                + badAnnotation + ": document 1 (Pod p): annotation sidecar.windlass.dev/proxyCPU=\"lots\": not a quantity\n");
        WindlassCliTest.Result config = WindlassCliTest.run("kube-inject", "-f", badAnnotation.toString(),
                "--injector-config", missing);
        assertThat(config.code()).isEqualTo(2);
        assertThat(config.err()).isEqualTo("windlass: --injector-config " + missing + ": no such file\n");
        assertThat(WindlassCliTest.run("kube-inject", "-f", badAnnotation.toString(), "--revision", "Bad_Rev").err())
                .isEqualTo("windlass: --revision: 'Bad_Rev' is not a DNS label\n");
    }

    private static List<String> names(JsonNode list) {
        return java.util.stream.StreamSupport.stream(list.spliterator(), false).map(n -> n.path("name").asText()).toList();
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        return InjectorJson.YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
    }
}
