package io.orderhub.ingest.camel;

import io.orderhub.ingest.mail.MailIntake;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.springframework.stereotype.Component;

/**
 * The mail consumer's poll strategy (routes/email-intake.camel.yaml, {@code pollStrategy}): a poll of the orders
 * mailbox begins only in the instance that holds the mail poll's lease ({@link MailIntake#takePoll}), so the
 * instances poll the mailbox once per interval between them, and the survivor takes over when the holder stops.
 * Failed polls are handled as by Camel's default strategy (logged; the next poll tries again).
 */
@Component("mailPollLease")
public class MailPollLease extends DefaultPollingConsumerPollStrategy {

    private final MailIntake intake;

    public MailPollLease(MailIntake intake) {
        this.intake = intake;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return intake.takePoll();
    }
}
