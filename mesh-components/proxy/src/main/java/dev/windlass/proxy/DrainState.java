package dev.windlass.proxy;

/** Set once on SIGTERM: handlers then close keep-alive connections after the response in flight. */
public final class DrainState {
    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    void start() {
        draining = true;
    }
}
