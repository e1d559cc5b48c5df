package io.orderhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh copy of the mappings tree for the test hub, made once per test JVM before the context starts. The copy's
 * channels.yaml gets one test channel more, {@value #JMS_PARTNER}: the demo b2b channel as it is, but with its partner
 * documents on the JMS queue orders.outbound (the demo b2b mails them to its EDI desk), for the tests of the JMS
 * transport (PartnerDocumentsFlowTest).
 */
final class TestMappings {

    private static boolean copied;

    /** The test channel whose partner documents go to the queue orders.outbound. */
    static final String JMS_PARTNER = "b2b-jms";

    private TestMappings() {
    }

    /** Appends channel b2b-jms: b2b's settings (envelope ids included), its own key and senders, transport jms. */
    private static void addJmsPartner(Path channels) throws IOException {
        Files.writeString(channels, Files.readString(channels).stripTrailing() + "\n" + """
                  - id: b2b-jms
                    name: Test B2B partner answered on the queue orders.outbound
                    formats: ["*"]
                    transports: ["*"]
                    senders: ["*@b2b-jms.example"]
                    mailAuth: none
                    backorders: true
                    paymentGateway: adyen
                    paymentMethods: [card, prepaid, invoice]
                    apiKeys: [demo-b2b-jms]
                    locale: en
                    outbound:
                      documents: [order-response, ship-notice, invoice, credit-note]
                      invoiceOn: SHIPPED
                      transport: {type: jms}
                      acknowledgementWindow: PT24H
                      x12: {senderQualifier: ZZ, senderId: ORDERHUB, receiverQualifier: ZZ, receiverId: ACMEBUYER, usage: P}
                      edifact: {senderQualifier: ZZZ, senderId: ORDERHUB, receiverQualifier: "14", receiverId: "4012345000009", usage: P}
                      ubl: {receiverQualifier: "0088", receiverId: "4012345000009"}
                      cxml: {senderQualifier: NetworkID, senderId: AN01000000001, receiverQualifier: NetworkID, receiverId: AN02000000002, usage: P}
                """);
    }

    static synchronized void copyOnce(Path source, Path target) {
        if (copied) {
            return;
        }
        try {
            if (Files.exists(target)) {
                try (Stream<Path> old = Files.walk(target)) {
                    for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            try (Stream<Path> all = Files.walk(source)) {
                for (Path p : all.toList()) {
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
            addJmsPartner(target.resolve("channels.yaml"));
            copied = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
