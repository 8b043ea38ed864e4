package dev.windlass.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tier 1: what install prints about an operator pod, from Pod statuses as the kubelet and the scheduler write them. */
class PodDiagnosisTest {
    private static final String IMAGE = "127.0.0.1:1/operator:0.2.0";
    private static final String PULL_ERROR = "failed to pull and unpack image \"" + IMAGE + "\": failed to resolve reference \""
            + IMAGE + "\": failed to do request: Head \"https://127.0.0.1:1/v2/operator/manifests/0.2.0\": dial tcp 127.0.0.1:1: "
            + "connect: connection refused";
    private final List<String> logsAsked = new ArrayList<>();

    @Test
    void anImagePullBackOffNamesTheImageAndThePullErrorOnce() {
        Pod pod = pod(IMAGE).withNewStatus().withPhase("Pending").addNewContainerStatus().withName("operator").withImage(IMAGE).withReady(false)
                .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"" + IMAGE + "\": ErrImagePull: " + PULL_ERROR).endWaiting().endState()
                .endContainerStatus().endStatus().build();

        assertThat(describe(pod)).containsExactly("pod windlass-operator-6d4f-x7k2p: container operator cannot get image " + IMAGE
                + " (ImagePullBackOff): " + PULL_ERROR);
        assertThat(PodDiagnosis.pullFailures(pod)).containsExactly(
                new PodDiagnosis.PullFailure("windlass-operator-6d4f-x7k2p", "operator", IMAGE, PULL_ERROR, true));
    }

    @Test
    void anErrImagePullKeepsTheRuntimesMessage() {
        Pod pod = waiting("ErrImagePull", "rpc error: code = NotFound desc = " + PULL_ERROR);
        assertThat(describe(pod)).containsExactly("pod windlass-operator-6d4f-x7k2p: container operator cannot get image "
                + "windlass/operator:0.2.0 (ErrImagePull): rpc error: code = NotFound desc = " + PULL_ERROR);
    }

    @Test
    void aMalformedReferenceCannotBeRetried() {
        Pod pod = waiting("InvalidImageName", "Failed to apply default image tag \"Windlass/Operator\": invalid reference format");
        assertThat(PodDiagnosis.pullFailures(pod)).singleElement().satisfies(f -> assertThat(f.retryable()).isFalse());
    }

    @Test
    void aCrashLoopShowsTheExitCodeRestartsAndTheLastLogLine() {
        Pod pod = pod().withNewStatus().withPhase("Running").addNewContainerStatus().withName("operator").withReady(false).withRestartCount(3)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 40s restarting failed container=operator").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endLastState()
                .endContainerStatus().endStatus().build();

        assertThat(describe(pod)).containsExactly("pod windlass-operator-6d4f-x7k2p: container operator is in CrashLoopBackOff "
                + "(exit code 1, 3 restarts); last log line: Caused by: java.net.UnknownHostException: kubernetes.default.svc");
        assertThat(logsAsked).containsExactly("windlass-operator-6d4f-x7k2p/operator");
    }

    @Test
    void anUnscheduledPodGivesTheSchedulersReason() {
        String reason = "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: "
                + "1 No preemption victims found for incoming pod.";
        Pod pod = pod().withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage(reason).endCondition().endStatus().build();
        assertThat(describe(pod)).containsExactly("pod windlass-operator-6d4f-x7k2p: Pending, not scheduled: " + reason);
    }

    @Test
    void aScheduledPodWithoutContainersYetAndAStartingOneSaySo() {
        Pod scheduled = pod().withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("True")
                .endCondition().endStatus().build();
        assertThat(describe(scheduled)).containsExactly("pod windlass-operator-6d4f-x7k2p: Pending, no container started yet");
        assertThat(describe(waiting("ContainerCreating", null)))
                .containsExactly("pod windlass-operator-6d4f-x7k2p: container operator ContainerCreating");
        Pod running = pod().withNewStatus().withPhase("Running").addNewContainerStatus().withName("operator").withReady(false)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus().build();
        assertThat(describe(running)).containsExactly("pod windlass-operator-6d4f-x7k2p: container operator is running, not ready yet");
    }

    @Test
    void theLastLogLineSkipsStackFrames() {
        assertThat(PodDiagnosis.lastLogLine("""
                starting
                Exception in thread "main" java.lang.IllegalStateException: Error starting operator
                \tat dev.windlass.operator.Main.main(Main.java:40)
                Caused by: java.net.UnknownHostException: kubernetes.default.svc
                \tat java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1)
                \t... 7 more

                """)).isEqualTo("Caused by: java.net.UnknownHostException: kubernetes.default.svc");
        assertThat(PodDiagnosis.lastLogLine("")).isNull();
    }

    private List<String> describe(Pod pod) {
        return PodDiagnosis.describe(pod, (p, container) -> {
            logsAsked.add(p.getMetadata().getName() + "/" + container);
            return PodDiagnosis.lastLogLine("Caused by: java.net.UnknownHostException: kubernetes.default.svc\n\tat x.y(Z.java:1)\n");
        });
    }

    private static Pod waiting(String reason, String message) {
        return pod().withNewStatus().withPhase("Pending").addNewContainerStatus().withName("operator").withReady(false)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .endContainerStatus().endStatus().build();
    }

    private static PodBuilder pod() {
        return pod("windlass/operator:0.2.0");
    }

    private static PodBuilder pod(String image) {
        return new PodBuilder().withNewMetadata().withName("windlass-operator-6d4f-x7k2p").withNamespace("windlass-operator").endMetadata()
                .withNewSpec().addNewContainer().withName("operator").withImage(image).endContainer().endSpec();
    }
}
