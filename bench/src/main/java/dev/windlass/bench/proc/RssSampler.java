package dev.windlass.bench.proc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the RSS of some process trees every 250 ms while a load runs. Steady RSS is the median of the samples
 * of the run's second half (after the start-up of the load's connections); peak RSS is the largest sample.
 */
public final class RssSampler implements AutoCloseable {
    private final List<ProcessTree> trees;
    private final List<List<Double>> samples = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "rss-sampler");
        thread.setDaemon(true);
        return thread;
    });

    public RssSampler(List<ProcessTree> trees) {
        this.trees = trees;
        trees.forEach(t -> samples.add(Collections.synchronizedList(new ArrayList<>())));
        timer.scheduleAtFixedRate(this::sample, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        for (int i = 0; i < trees.size(); i++) {
            samples.get(i).add(trees.get(i).rssMiB());
        }
    }

    public double peak(int tree) {
        return List.copyOf(samples.get(tree)).stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    public double steady(int tree) {
        List<Double> all = List.copyOf(samples.get(tree));
        List<Double> secondHalf = new ArrayList<>(all.subList(all.size() / 2, all.size()));
        Collections.sort(secondHalf);
        return secondHalf.isEmpty() ? 0 : secondHalf.get(secondHalf.size() / 2);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
