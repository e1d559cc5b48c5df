package io.orderhub.messaging.camel;

import io.orderhub.common.WakeableSchedule;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of a route's {@code scheduler:} consumer that runs the route's poll from a {@link WakeableSchedule}
 * ({@code scheduler: "#relayTrigger"}; the triggers are the beans of {@link ScheduleTriggers}). Instead of a timer
 * that ticks, one thread waits for the schedule (a wake-up, or the interval) and runs the poll; so the runs stay one
 * at a time, in one thread, as with a timer. Stopping the route ends the thread; starting it again starts a new one.
 */
public class ScheduleTrigger implements ScheduledPollConsumerScheduler {

    private static final Logger log = LoggerFactory.getLogger(ScheduleTrigger.class);

    private final String name;
    private final WakeableSchedule schedule;
    private CamelContext camelContext;
    private volatile Runnable task;
    private volatile Thread thread;

    /** {@code name}: the thread's name, and the job's in the log. */
    public ScheduleTrigger(String name, WakeableSchedule schedule) {
        this.name = name;
        this.schedule = schedule;
    }

    @Override
    public void onInit(Consumer consumer) {
        // the consumer is the task it schedules
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
    }

    @Override
    public void unscheduleTask() {
        this.task = null;
    }

    @Override
    public synchronized void startScheduler() {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(this::loop, name);
        t.setDaemon(true);
        thread = t;
        // the first run at once: work committed while the job was stopped
        schedule.wake();
        t.start();
    }

    @Override
    public boolean isSchedulerStarted() {
        return thread != null;
    }

    private void loop() {
        Thread self = Thread.currentThread();
        while (thread == self) {
            try {
                schedule.awaitDue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Runnable run = task;
            if (thread != self || run == null) {
                return;
            }
            try {
                run.run();
            } catch (RuntimeException e) {
                // the consumer handles its own failures; whatever escapes must not end the job's thread
                log.warn("{} run failed, trying again at the next wake-up or interval: {}", name, e.toString());
            }
        }
    }

    @Override
    public void start() {
        // the thread starts with startScheduler
    }

    @Override
    public synchronized void stop() {
        if (thread != null) {
            // the thread ends after its run in progress, if any (no interrupt in the middle of a transaction)
            thread = null;
            schedule.wake();
        }
    }

    @Override
    public void shutdown() {
        stop();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
