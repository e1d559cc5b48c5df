package io.orderhub.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Orders sent by an outside JMS client to {@code orders.inbound} (the hub's broker acceptor, CORE
 * protocol): canonical orders with string property {@code channel} and {@code format}, JMSReplyTo a
 * temporary queue. The hub answers every message with {@code {receiptId, status, orderIds, errors}};
 * the run ends when every message is answered. Throughput = ACCEPTED answers ÷ (last answer − first send);
 * latency per message = answer − send.
 */
final class JmsIngest {

    record Result(long messages, long accepted, long otherAnswers, long unanswered, double seconds, Double ordersPerSecond,
                  Double p50, Double p99, Double max, Double cpuMsPerOrder, Double allocBytesPerOrder, List<String> errorSamples) {
    }

    private final ObjectMapper json = new ObjectMapper();

    Result run(Broker broker, Hub hub, String channel, int messages, int producers, String prefix, RateRun.Drain drain)
            throws Exception {
        LoadDocuments docs = new LoadDocuments("canonical", prefix, false);
        Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
        ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>();
        AtomicLong accepted = new AtomicLong();
        AtomicLong other = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        List<String> samples = new ArrayList<>();
        CountDownLatch answers = new CountDownLatch(messages);
        Hub.Snapshot before = hub.snapshot();
        try (Connection connection = broker.connect()) {
            Session replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = replySession.createTemporaryQueue();
            MessageConsumer consumer = replySession.createConsumer(replies);
            consumer.setMessageListener(m -> {
                long now = System.nanoTime();
                try {
                    Long t = sentAt.remove(m.getJMSCorrelationID());
                    if (t != null) {
                        latency.recordValue(Math.min(TimeUnit.MINUTES.toMicros(10), (now - t) / 1000));
                    }
                    JsonNode answer = json.readTree(((TextMessage) m).getText());
                    if ("ACCEPTED".equals(answer.path("status").asText())) {
                        accepted.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                        synchronized (samples) {
                            if (samples.size() < 5) {
                                samples.add(answer.toString());
                            }
                        }
                    }
                } catch (Exception e) {
                    other.incrementAndGet();
                }
                lastAnswer.accumulateAndGet(now, Math::max);
                answers.countDown();
            });
            connection.start();
            ExecutorService pool = Executors.newFixedThreadPool(producers);
            AtomicLong next = new AtomicLong();
            long start = System.nanoTime();
            List<Future<?>> tasks = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                tasks.add(pool.submit(() -> {
                    try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                        MessageProducer producer = s.createProducer(s.createQueue("orders.inbound"));
                        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                        while (next.incrementAndGet() <= messages) {
                            String number = docs.nextId();
                            TextMessage m = s.createTextMessage(new String(docs.document(number), StandardCharsets.UTF_8));
                            m.setStringProperty("channel", channel);
                            m.setStringProperty("format", "canonical");
                            m.setJMSReplyTo(replies);
                            m.setJMSCorrelationID(number);
                            sentAt.put(number, System.nanoTime());
                            producer.send(m);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                f.get();
            }
            pool.shutdown();
            answers.await(Math.max(60, messages / 20), TimeUnit.SECONDS);
            double elapsed = Math.max(1, lastAnswer.get() - start) / 1e9;
            drain.await();
            Hub.Snapshot after = hub.snapshot();
            long unanswered = answers.getCount();
            return new Result(messages, accepted.get(), other.get(), unanswered, Stats.round(elapsed),
                    Stats.round(accepted.get() / elapsed),
                    latency.getTotalCount() == 0 ? null : latency.getValueAtPercentile(50) / 1000.0,
                    latency.getTotalCount() == 0 ? null : latency.getValueAtPercentile(99) / 1000.0,
                    latency.getTotalCount() == 0 ? null : latency.getMaxValue() / 1000.0,
                    Stats.round(after.cpuMsPer(before, accepted.get())), RateRun.positive(after.allocPer(before, accepted.get())),
                    samples);
        }
    }
}
