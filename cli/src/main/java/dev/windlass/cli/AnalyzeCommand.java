package dev.windlass.cli;

import dev.windlass.traffic.istio.analysis.AnalysisInputBuilder;
import dev.windlass.traffic.istio.analysis.Analyzer;
import dev.windlass.traffic.istio.analysis.Finding;
import dev.windlass.traffic.istio.analysis.Level;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code windlass analyze [-n NS | -A] [-f FILE]... [FILE]...}, as {@code istioctl analyze}. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Analyze the mesh's VirtualServices, DestinationRules and Gateways, from the cluster and/or files, and print "
                + "Istio's analysis messages (IST0101, ...) as istioctl analyze does.",
                "Files (multi-document YAML or JSON) override the cluster's resources of the same kind, namespace and name; "
                        + "resources without a namespace go to the analysed one.",
                "Exit codes: 0 no finding at the failure threshold; 79 some finding at or above it; 2 bad flags or a file "
                        + "that cannot be read or parsed, with one line naming it (istioctl uses 65 for that)."})
final class AnalyzeCommand implements Callable<Integer> {
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--namespace"},
            description = "The namespace to analyze (default: windlass -n, else the kubeconfig context's, else default).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Analyze every namespace.")
    boolean allNamespaces;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A file or directory to analyze; - is stdin. Repeatable.")
    List<String> fileOptions = new ArrayList<>();

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "More files or directories.")
    List<String> fileArguments = new ArrayList<>();

    @Option(names = {"-R", "--recursive"}, description = "Read the directories given recursively.")
    boolean recursive;

    @Option(names = {"-k", "--use-kube"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Read the cluster too; --use-kube=false analyzes the files alone (default: ${DEFAULT-VALUE}).")
    boolean useKube;

    @Option(names = "--failure-threshold", defaultValue = "Error", paramLabel = "LEVEL",
            description = "The least severe level (Info, Warning, Error) that makes the exit code 79 (default: ${DEFAULT-VALUE}).")
    String failureThreshold;

    @Option(names = "--output-threshold", defaultValue = "Info", paramLabel = "LEVEL",
            description = "The least severe level (Info, Warning, Error) that is printed (default: ${DEFAULT-VALUE}).")
    String outputThreshold;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        Level failAt = level("--failure-threshold", failureThreshold);
        Level showAt = level("--output-threshold", outputThreshold);
        namespace = WindlassCli.namespace(spec, namespace);
        if (namespace != null && (!namespace.matches(DNS_LABEL) || namespace.length() > 63)) {
            throw new InputException("--namespace: '" + namespace + "' is not a namespace name");
        }
        List<String> files = new ArrayList<>(fileOptions);
        files.addAll(fileArguments);
        List<String> expanded = AnalyzeFiles.expand(files, recursive);
        if (!useKube && expanded.isEmpty()) {
            throw new InputException("--use-kube=false: give the files to analyze");
        }
        // Read the files first: a bad file fails before any cluster call.
        List<List<AnalyzeFiles.Document>> documents = expanded.stream().map(f -> AnalyzeFiles.read(f, System.in)).toList();
        AnalysisInputBuilder input = new AnalysisInputBuilder();
        String selected = useKube ? readCluster(input) : namespace != null ? namespace : "default";
        documents.forEach(docs -> docs.forEach(d -> input.add(d.object(), selected, d.source())));
        List<Finding> findings = Analyzer.analyze(input.build()).stream()
                .filter(f -> allNamespaces || f.resource().namespace().equals(selected)).toList();
        AnalyzeReport report = AnalyzeReport.of(findings, allNamespaces ? "all namespaces" : "namespace: " + selected,
                expanded, failAt, showAt);
        report.out().forEach(spec.commandLine().getOut()::println);
        report.err().forEach(spec.commandLine().getErr()::println);
        return report.exitCode();
    }

    /** Adds the cluster's objects; returns the analysed namespace (-n, else the context's, else default). */
    private String readCluster(AnalysisInputBuilder input) {
        try (KubernetesClient client = cluster.client()) {
            String selected = namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
            if (namespace != null && !AnalyzeCluster.namespaceExists(client, namespace)) {
                throw new InputException("--namespace: namespace \"" + namespace + "\" not found");
            }
            AnalyzeCluster.read(client, allNamespaces ? null : selected).forEach(o -> input.add(o, selected, null));
            return selected;
        }
    }

    private static Level level(String flag, String text) {
        return Level.parse(text).orElseThrow(() -> new InputException(flag + ": '" + text + "' is not one of Info, Warning, Error"));
    }
}
