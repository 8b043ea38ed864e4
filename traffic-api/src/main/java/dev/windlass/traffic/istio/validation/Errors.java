package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.FieldError;

import java.util.ArrayList;
import java.util.List;

/** The errors found in one resource, each with the path of its field. */
final class Errors {
    private final List<FieldError> errors = new ArrayList<>();

    void add(String path, String message) {
        errors.add(new FieldError(path, message));
    }

    void notSupported(String path) {
        errors.add(FieldError.notSupported(path));
    }

    void notSupported(String path, String what) {
        errors.add(FieldError.notSupported(path, what));
    }

    List<FieldError> list() {
        return List.copyOf(errors);
    }
}
