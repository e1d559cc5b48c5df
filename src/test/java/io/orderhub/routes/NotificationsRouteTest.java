package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/notifications.camel.yaml: a verified event whose composed notice is due is mailed and then recorded as
 * sent; no mail when none is due; an SMTP failure is retried and then dead-lettered (handled), never recorded
 * as sent; the sender notices follow the same path.
 */
class NotificationsRouteTest extends RouteTestSupport {

    @BeforeEach
    void adviseRoutes() throws Exception {
        advise("notifyCustomers", r -> {
            r.replaceFromWith("direct:notifyCustomers");
            mockStep(r, "composeCustomerMail");
            mockStep(r, "recordCustomerMail");
        });
        advise("notifySenders", r -> {
            r.replaceFromWith("direct:notifySenders");
            mockStep(r, "composeSenderMail");
            mockStep(r, "recordSenderMail");
        });
        advise("sendNotificationMail", r -> mockStep(r, "smtpNotification"));
    }

    @Test
    void aDueNoticeIsMailedThenRecorded() throws Exception {
        answer("notificationAdapter.hasMail", args -> true);
        step("composeCustomerMail").whenAnyExchangeReceived(e -> e.getIn().setBody("the mail"));
        step("smtpNotification").expectedBodiesReceived("the mail");
        step("recordCustomerMail").expectedMessageCount(1);

        Exchange done = send("direct:notifyCustomers", "{\"type\":\"order.confirmed\"}", Map.of());

        assertThat(done.getException()).isNull();
        step("smtpNotification").assertIsSatisfied();
        step("recordCustomerMail").assertIsSatisfied();
        assertThat(calls()).startsWith("eventOrigin.verify");
    }

    @Test
    void noMailWhenNoneIsDue() {
        send("direct:notifyCustomers", "{\"type\":\"order.allocated\"}", Map.of());

        assertThat(step("composeCustomerMail").getReceivedCounter()).isEqualTo(1);
        assertThat(step("smtpNotification").getReceivedCounter()).isZero();
        assertThat(step("recordCustomerMail").getReceivedCounter()).isZero();
    }

    @Test
    void anSmtpFailureIsRetriedThenDeadLetteredAndNotRecordedAsSent() {
        answer("notificationAdapter.hasMail", args -> true);
        step("smtpNotification").whenAnyExchangeReceived(e -> {
            throw new jakarta.mail.MessagingException("SMTP away");
        });

        Exchange done = send("direct:notifySenders", "{\"receiptId\":\"R-1\"}", Map.of());

        assertThat(done.getException()).as("handled by the dead letter").isNull();
        assertThat(step("smtpNotification").getReceivedCounter()).as("first try and each redelivery")
                .isEqualTo(1 + context.resolvePropertyPlaceholders("{{orderhub.notify.retry.max-redeliveries}}")
                        .transform(Integer::parseInt));
        assertThat(step("recordSenderMail").getReceivedCounter()).isZero();
        assertThat(calls()).endsWith("notificationAdapter.deadLetter");
    }
}
