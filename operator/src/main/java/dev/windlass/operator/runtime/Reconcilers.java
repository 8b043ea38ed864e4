package dev.windlass.operator.runtime;

import dev.windlass.operator.MeshControlPlaneReconciler;
import dev.windlass.operator.OperatorSettings;
import dev.windlass.operator.tags.MeshRevisionTagReconciler;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The reconcilers as CDI beans, made with their plain constructors (which the apiserver tests call too).
 * Singleton, not application-scoped: JOSDK reads their annotations from the instance's class, which must not be
 * a client proxy.
 */
@Singleton
public class Reconcilers {
    @Produces
    @Singleton
    MeshControlPlaneReconciler meshControlPlane(OperatorSettings settings) {
        return new MeshControlPlaneReconciler(settings.platform());
    }

    @Produces
    @Singleton
    MeshRevisionTagReconciler meshRevisionTag() {
        return new MeshRevisionTagReconciler();
    }
}
