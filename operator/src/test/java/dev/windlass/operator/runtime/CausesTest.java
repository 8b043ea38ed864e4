package dev.windlass.operator.runtime;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

class CausesTest {
    @Test
    void namesEachCauseOnceOutermostFirst() {
        var refused = new ConnectException("Connection refused");
        var informer = new IllegalStateException("Couldn't start informer for meshcontrolplanes", new ExecutionException(refused));
        var start = new RuntimeException("Error starting operator", new ExecutionException(informer));
        assertThat(Causes.summary(start))
                .isEqualTo("Error starting operator: Couldn't start informer for meshcontrolplanes: Connection refused");
    }

    @Test
    void aCauseWithoutMessageIsNamedByItsClass() {
        assertThat(Causes.summary(new RuntimeException("failed", new NullPointerException())))
                .isEqualTo("failed: NullPointerException");
    }
}
