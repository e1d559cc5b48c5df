package io.orderhub.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fixed number of daemon threads for a job that works through independent items (shipments to label,
 * parcels whose tracking step is due) and waits for all of them: the items of one run go in parallel, the
 * runs stay one after the other. With one thread the items run in the caller's thread, in order.
 */
public final class ParallelWork implements AutoCloseable {

    private final int threads;
    private final ExecutorService pool;

    public ParallelWork(String name, int threads) {
        this.threads = Math.max(1, threads);
        AtomicInteger n = new AtomicInteger();
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /**
     * Applies {@code work} to every item and returns the results in the items' order. An item whose work throws
     * does not stop the others; the first such exception is thrown once all are done.
     */
    public <I, R> List<R> each(Collection<I> items, Function<I, R> work) {
        List<R> results = new ArrayList<>(items.size());
        if (pool == null || items.size() <= 1) {
            for (I item : items) {
                results.add(work.apply(item));
            }
            return results;
        }
        List<Future<R>> futures = new ArrayList<>(items.size());
        for (I item : items) {
            try {
                futures.add(pool.submit(() -> work.apply(item)));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the hub is stopping and the threads are gone: the item runs here
                futures.add(java.util.concurrent.CompletableFuture.completedFuture(work.apply(item)));
            }
        }
        RuntimeException first = null;
        for (Future<R> f : futures) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                results.add(null);
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(other -> other.cancel(true));
                throw new IllegalStateException("interrupted while waiting for the run's items", e);
            }
        }
        if (first != null) {
            throw first;
        }
        return results;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
