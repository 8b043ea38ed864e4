package dev.windlass.samples.burn;

/**
 * {@code burn THREADS}: keeps THREADS cores busy until killed, like {@code stress --cpu N}; the CPU pressure of
 * tests that show what happens to pods starting on a busy node.
 */
public final class Burn {
    private static volatile long sink;

    private Burn() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length == 0 ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(args[0]);
        for (int i = 0; i < threads; i++) {
            Thread.ofPlatform().name("burn-" + i).start(Burn::spin);
        }
        System.out.println("burning " + threads + " threads");
        Thread.currentThread().join();
    }

    private static void spin() {
        long x = 0;
        while (true) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            if (x == 42) {
                sink = x; // never, but the JIT cannot prove it, so the loop is not removed
            }
        }
    }
}
