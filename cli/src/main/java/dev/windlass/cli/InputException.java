package dev.windlass.cli;

/** A problem with what the user gave on the command line: a file, a flag or an argument. */
final class InputException extends RuntimeException {
    InputException(String message) {
        super(message);
    }
}
