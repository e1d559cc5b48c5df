package io.orderhub.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The raw Artemis rate of persistent send-and-receive: a standalone embedded broker (same version as
 * the hub's) with a persistent journal in a scratch directory, synced like the hub's
 * (journal-sync-transactional and -non-transactional), in-VM connections like the hub's own; producers
 * send persistent messages of the size of an order.created event and consumers receive them
 * (auto-acknowledge) for a fixed time.
 */
final class ArtemisBaseline {

    record Result(int producers, int consumers, int messageBytes, double seconds, long received, double messagesPerSecond,
                  String journalType) {
    }

    private ArtemisBaseline() {
    }

    static Result run(Path dir, int messageBytes, int producers, int consumers, int seconds) throws Exception {
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setJournalSyncTransactional(true)
                .setJournalSyncNonTransactional(true);
        config.addAcceptorConfiguration("in-vm", "vm://7");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        String journalType = String.valueOf(broker.getActiveMQServer().getConfiguration().getJournalType());
        String text = "x".repeat(messageBytes);
        AtomicLong received = new AtomicLong();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://7");
             Connection connection = factory.createConnection()) {
            connection.start();
            ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            List<Future<?>> tasks = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                tasks.add(pool.submit(() -> {
                    try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                        Queue q = s.createQueue("bench.raw");
                        MessageProducer producer = s.createProducer(q);
                        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                        while (System.nanoTime() < end) {
                            producer.send(s.createTextMessage(text));
                        }
                    }
                    return null;
                }));
            }
            long[] counted = new long[1];
            for (int c = 0; c < consumers; c++) {
                tasks.add(pool.submit(() -> {
                    try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                        MessageConsumer consumer = s.createConsumer(s.createQueue("bench.raw"));
                        while (System.nanoTime() < end) {
                            if (consumer.receive(200) != null) {
                                received.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                f.get();
            }
            counted[0] = received.get();
            double elapsed = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            return new Result(producers, consumers, messageBytes, Stats.round(elapsed), counted[0],
                    Stats.round(counted[0] / elapsed), journalType);
        } finally {
            broker.stop();
        }
    }
}
