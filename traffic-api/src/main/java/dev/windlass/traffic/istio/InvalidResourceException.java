package dev.windlass.traffic.istio;

import java.util.List;
import java.util.stream.Collectors;

/** A resource that cannot be used, with every error found in it. */
public final class InvalidResourceException extends Exception {
    private final List<FieldError> errors;

    public InvalidResourceException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
