package dev.windlass.injector;

/** Whether a pod gets the sidecar, and why, in words fit for a log line or kube-inject's stderr. */
public record Decision(boolean inject, String reason) {
    static Decision yes(String reason) {
        return new Decision(true, reason);
    }

    static Decision no(String reason) {
        return new Decision(false, reason);
    }
}
