package dev.windlass.discovery.kube;

import dev.windlass.discovery.model.ChangeKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The registry model of one kind of object, kept up to date by its informer. Objects are converted once, on
 * their event; a change is reported only when the model changed, so the frequent updates that do not matter to
 * xDS (pod status, managed fields, resync) trigger no push.
 */
final class ModelIndex<T extends HasMetadata, M> implements ResourceEventHandler<T> {
    private final Map<String, M> models = new ConcurrentHashMap<>();
    private final Function<T, Optional<M>> convert;
    private final ChangeKind kind;
    private final Consumer<ChangeKind> onChange;

    ModelIndex(Function<T, Optional<M>> convert, ChangeKind kind, Consumer<ChangeKind> onChange) {
        this.convert = convert;
        this.kind = kind;
        this.onChange = onChange;
    }

    List<M> values() {
        return List.copyOf(models.values());
    }

    /** The model of one object; {@code namespace} is null for cluster-scoped kinds. */
    Optional<M> get(String namespace, String name) {
        return Optional.ofNullable(models.get(namespace + "/" + name));
    }

    @Override
    public void onAdd(T obj) {
        update(obj);
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
        update(newObj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        if (models.remove(key(obj)) != null) {
            onChange.accept(kind);
        }
    }

    private void update(T obj) {
        Optional<M> model = convert.apply(obj);
        M previous = model.isPresent() ? models.put(key(obj), model.get()) : models.remove(key(obj));
        if (!Objects.equals(previous, model.orElse(null))) {
            onChange.accept(kind);
        }
    }

    private static String key(HasMetadata obj) {
        return obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
    }
}
