package io.orderhub.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The items of a run go in parallel; the run returns their results in order once all are done. */
class ParallelWorkTest {

    @Test
    void resultsComeInTheItemsOrderAndTheItemsRunOnThePoolsThreads() {
        try (ParallelWork work = new ParallelWork("test-work", 4)) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            List<Integer> squares = work.each(List.of(1, 2, 3, 4, 5, 6, 7, 8), i -> {
                threads.add(Thread.currentThread().getName());
                return i * i;
            });
            assertThat(squares).containsExactly(1, 4, 9, 16, 25, 36, 49, 64);
            assertThat(threads).allMatch(name -> name.startsWith("test-work-"));
        }
    }

    @Test
    void aFailingItemDoesNotStopTheOthersAndItsExceptionComesAfterAll() {
        AtomicInteger done = new AtomicInteger();
        try (ParallelWork work = new ParallelWork("test-work", 3)) {
            assertThatThrownBy(() -> work.each(List.of(1, 2, 3, 4, 5), i -> {
                if (i == 2) {
                    throw new IllegalStateException("item 2 failed");
                }
                return done.incrementAndGet();
            })).isInstanceOf(IllegalStateException.class).hasMessage("item 2 failed");
        }
        assertThat(done).hasValue(4);
    }

    @Test
    void withOneThreadOrAfterCloseTheItemsRunInTheCallersThread() {
        String caller = Thread.currentThread().getName();
        try (ParallelWork one = new ParallelWork("test-one", 1)) {
            assertThat(one.each(List.of(1, 2), i -> Thread.currentThread().getName())).containsOnly(caller);
        }
        ParallelWork closed = new ParallelWork("test-closed", 4);
        closed.close();
        assertThat(closed.each(List.of(1, 2, 3), i -> Thread.currentThread().getName())).containsOnly(caller);
    }
}
