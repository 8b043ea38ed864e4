package dev.windlass.injector;

/** The pod asks for something injection cannot do (e.g. a malformed resource annotation); names the annotation. */
public final class InjectionException extends RuntimeException {
    public InjectionException(String message) {
        super(message);
    }
}
