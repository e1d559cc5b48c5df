package io.orderhub.messaging.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import io.orderhub.messaging.RelaySchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The outbox relay's trigger: the scheduler of the relay route's {@code scheduler:} consumer
 * (routes/outbox-relay.camel.yaml, {@code scheduler: "#relayTrigger"}). Instead of a timer that ticks, one thread
 * waits for {@link RelaySchedule} (a commit with events, or the poll interval) and runs the route's poll; so the
 * relay's runs stay one at a time, in one thread, as with a timer. Stopping the route ends the thread; starting it
 * again starts a new one.
 */
@Component("relayTrigger")
public class RelayTrigger implements ScheduledPollConsumerScheduler {

    private static final Logger log = LoggerFactory.getLogger(RelayTrigger.class);

    private final RelaySchedule schedule;
    private CamelContext camelContext;
    private volatile Runnable task;
    private volatile Thread thread;

    public RelayTrigger(RelaySchedule schedule) {
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
        Thread t = new Thread(this::loop, "orderhub-outbox-relay");
        t.setDaemon(true);
        thread = t;
        // the first run at once: events committed while the relay was stopped
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
                // the consumer handles its own failures; whatever escapes must not end the relay
                log.warn("outbox relay run failed, trying again at the next wake-up or poll: {}", e.toString());
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
