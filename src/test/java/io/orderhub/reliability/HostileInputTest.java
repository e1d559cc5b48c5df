package io.orderhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.ingest.mail.MailIntake;
import io.orderhub.ingest.mail.MailReply;
import io.orderhub.sandbox.SandboxMailServer;
import io.orderhub.support.HubTestSupport;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Hostile input at the hub's doors (issue 13, "Hostile input"), on the running hub: SQL-ish strings in every
 * filter parameter of the list endpoints, Camel header injection over REST (headers and query parameters) and
 * e-mail (JMS: JmsIntakeTest), e-mail attachments with path-traversal and absolute file names and a zip bomb,
 * and mutated MIME mails fed to the mail intake (jqwik generators, bounded). The format parsers themselves:
 * io.orderhub.format.HostileInputProperties.
 */
class HostileInputTest extends HubTestSupport {

    static final String ORDERS = "orders@orderhub.local";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final List<String> SQLISH = List.of("' or 1=1 --", "webshop' or '1'='1", "\" or \"\"=\"", "1; drop table orders; --",
            "x' union select order_id, body from orders --", "%' --", "%", "_", "\\", "'; select pg_sleep(5); --",
            "' or 1=1) --", "0 or 1=1", "NULL", "\u0000", "${jndi:ldap://x}", "{{orderhub.security.api-keys}}");

    @Autowired
    SandboxMailServer mailServer;
    @Autowired
    MailIntake mailIntake;
    @Value("${orderhub.data-dir}")
    String dataDir;

    // --- SQL-ish filters ---

    @Test
    void sqlishStringsInEveryFilterOfEveryListEndpointAreRefusedOrFindNothing() throws Exception {
        // one order of our own, so that a filter that "or 1=1"s its way out would show rows
        assertThat(postJson("/api/orders", WEBSHOP_KEY, order()).status()).isEqualTo(201);
        Map<String, List<String>> endpoints = Map.of(
                "/api/orders", List.of("status", "channel", "externalId", "from", "to", "page", "size"),
                "/api/ops/audit", List.of("target", "from", "limit"),
                "/api/ops/dead-letters", List.of("status", "limit"),
                "/api/ops/shipping/held", List.of("status", "limit"),
                "/api/channels/webshop/orders", List.of("status", "externalId", "from", "to", "page", "size"));
        int requests = 0;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : endpoints.entrySet()) {
            for (String param : e.getValue()) {
                for (String value : SQLISH) {
                    for (String key : List.of(OPS_KEY, WEBSHOP_KEY)) {
                        String path = e.getKey() + "?" + param + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
                        Response r = get(path, key);
                        requests++;
                        String what = "GET " + path + " (" + key + ") -> " + r.status();
                        if (r.status() >= 500) {
                            problems.add(what + " " + r.text());
                        } else if (r.status() == 200) {
                            if (found(r.body()) > 0 && !param.equals("page") && !param.equals("size") && !param.equals("limit")
                                    && !param.equals("from") && !param.equals("to")) {
                                problems.add(what + ": the filter found " + found(r.body()) + " rows");
                            }
                        } else if (!List.of(400, 403, 404, 405, 422).contains(r.status())) {
                            problems.add(what + " " + r.text());
                        } else if (!r.text().isEmpty()) {
                            String text = r.text().toLowerCase();
                            if (text.contains("sqlstate") || text.contains("jdbc") || text.contains("syntax error")
                                    || text.contains("exception")) {
                                problems.add(what + " leaks: " + r.text());
                            }
                        }
                    }
                }
            }
        }
        IngestLoad.report("hostile-sql-filters", "| SQL-ish filter values | " + SQLISH.size() + " strings in every filter "
                + "parameter of " + endpoints.size() + " list endpoints, as OPS and as a channel | " + requests
                + " GET requests | 5xx, leaks or rows found: " + problems.size() + " | " + (problems.isEmpty() ? "pass" : "FAIL") + " |");
        assertThat(problems).isEmpty();
    }

    private static long found(JsonNode body) {
        if (body.isArray()) {
            return body.size();
        }
        if (body.has("totalItems")) {
            return body.get("totalItems").asLong();
        }
        if (body.has("items")) {
            return body.get("items").size();
        }
        return 0;
    }

    // --- Camel header injection ---

    @Test
    void camelHeadersAndQueryParametersOnAPostChangeNothing() throws Exception {
        ObjectNode order = order();
        Path evil = Path.of(System.getProperty("java.io.tmpdir"), "orderhub-evil-" + UUID.randomUUID());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders"
                        + "?CamelHttpResponseCode=299&CamelFileName=" + URLEncoder.encode(evil.toString(), StandardCharsets.UTF_8)
                        + "&camelHttpUri=/api/ops/routes&CAMELJMSDESTINATIONNAME=orders.hijacked"))
                .header("X-API-Key", WEBSHOP_KEY)
                .header("Content-Type", "application/json")
                .header("CamelFileName", evil.toString())
                .header("camelHttpUri", "http://localhost:" + port + "/api/ops/routes/receiveJmsOrder/stop")
                .header("CamelHttpMethod", "DELETE")
                .header("CAMELJMSDESTINATIONNAME", "orders.hijacked")
                .header("CamelHttpResponseCode", "299")
                .header("CamelBeanMethodName", "cancel")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(order))).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json.readTree(r.body()).get("externalId").asText()).isEqualTo(order.get("externalId").asText());
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel"));
        assertThat(Files.exists(evil)).as("a file named by CamelFileName").isFalse();
        assertThat(get("/api/ops/routes", OPS_KEY).text()).contains("receiveJmsOrder");
        assertThat(jdbc.queryForObject("select status from orders where external_id = ?", String.class,
                order.get("externalId").asText())).isNotEqualTo("CANCELLED");
    }

    @Test
    void camelAndRecipientHeadersInAMailChangeNothing() throws Exception {
        String sender = "hdr-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        String bystander = "bystander-" + UUID.randomUUID().toString().replace('-', 'x') + "@evil.example";
        Path evil = Path.of(System.getProperty("java.io.tmpdir"), "orderhub-evil-" + UUID.randomUUID());
        ObjectNode order = order();
        MimeMessage m = mail(sender, "headers", json.writeValueAsString(order));
        m.setHeader("CamelFileName", evil.toString());
        m.setHeader("CamelMailTo", bystander);
        m.setHeader("camelHttpUri", "http://localhost:" + port + "/api/ops/routes/receiveOrderMail/stop");
        m.setHeader("CAMELJMSDESTINATIONNAME", "orders.hijacked");
        m.setHeader("Bcc", bystander);
        m.saveChanges();
        // the SMTP envelope goes to the orders mailbox only; the headers travel in the mail
        Transport.send(m, new jakarta.mail.Address[] {new InternetAddress(ORDERS)});

        List<MimeMessage> answers = await().atMost(WAIT).until(() -> messagesFor(sender), l -> !l.isEmpty());
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).getAllRecipients()).extracting(Object::toString).containsExactly(sender);
        assertThat(messagesFor(bystander)).isEmpty();
        assertThat(Files.exists(evil)).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from orders where external_id = ?", Integer.class,
                order.get("externalId").asText())).isEqualTo(1);
    }

    // --- attachments: path traversal, absolute names, zip bomb ---

    @Test
    void attachmentNamesAreNeverFileNamesAndAZipBombIsRefusedUnopened() throws Exception {
        String sender = "att-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        String marker = "orderhub-evil-" + UUID.randomUUID();
        Path absolute = Path.of(System.getProperty("java.io.tmpdir"), marker + ".json");
        ObjectNode traversal = order();
        ObjectNode absoluteOrder = order();
        byte[] bomb = zipBomb(200 * 1024 * 1024);
        MimeMessage m = mail(sender, "attachments", null,
                attachment("../../../../../../tmp/" + marker + "-up.json", "application/json", json.writeValueAsBytes(traversal)),
                attachment(absolute.toString(), "application/json", json.writeValueAsBytes(absoluteOrder)),
                attachment("..\\..\\windows\\" + marker + ".json", "application/json", json.writeValueAsBytes(order())),
                attachment("../../etc/passwd", "text/plain", "root:x:0:0:root:/root:/bin/bash\n".getBytes(StandardCharsets.UTF_8)),
                attachment("bomb.zip", "application/zip", bomb));
        Transport.send(m);

        Message answer = await().atMost(WAIT).until(() -> messagesFor(sender), l -> !l.isEmpty()).get(0);
        String text = text(answer);
        assertThat(text).contains("../../../../../../tmp/" + marker + "-up.json: accepted",
                absolute + ": accepted", "../../etc/passwd: rejected", "bomb.zip: rejected",
                "not in a format this hub recognises");
        // nothing was written under those names: not where they point, not in the data directory, not here
        assertThat(Path.of("/tmp", marker + "-up.json")).doesNotExist();
        assertThat(absolute).doesNotExist();
        for (Path root : List.of(Path.of(dataDir), Path.of("target"), Path.of(System.getProperty("java.io.tmpdir")))) {
            try (Stream<Path> files = Files.walk(root, 6)) {
                assertThat(files.filter(p -> p.getFileName() != null && p.getFileName().toString().contains(marker)).toList())
                        .as("files named after an attachment under " + root).isEmpty();
            } catch (java.io.UncheckedIOException ignored) {
                // a file of another process vanished while we walked
            }
        }
        // the zip is kept as it came (a receipt of its compressed bytes), never unpacked
        String bombReceipt = jdbc.queryForObject("select receipt_id from receipts where via = 'email' and content_type = "
                + "'application/zip' and size_bytes = ?", String.class, bomb.length);
        assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class, bombReceipt))
                .isEqualTo("REJECTED");
    }

    /** A zip whose one entry inflates to {@code size} zero bytes (about a thousandth of it compressed). */
    static byte[] zipBomb(int size) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("../../zeros.json"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < size / zeros.length; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    // --- mutated MIME ---

    @Test
    void mutatedMailsAreAnsweredOrLeftCleanlyNeverCrashTheIntake() throws Exception {
        String sender = "mime-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        mail(sender, "mime", null, attachment("po.json", "application/json", json.writeValueAsBytes(order())),
                attachment("po.csv", "text/csv", Files.readAllBytes(Path.of("mappings", "tests", "csv", "two-orders.csv"))))
                .writeTo(raw);
        byte[] golden = raw.toByteArray();
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.integers().between(0, golden.length - 1),
                Arbitraries.integers().between(1, 400), Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.of("cut", "splice", "repeat", "truncate")).as((at, len, noise, how) -> switch (how) {
                    case "cut" -> concat(java.util.Arrays.copyOfRange(golden, 0, at),
                            java.util.Arrays.copyOfRange(golden, Math.min(golden.length, at + len), golden.length));
                    case "splice" -> concat(concat(java.util.Arrays.copyOfRange(golden, 0, at), noise),
                            java.util.Arrays.copyOfRange(golden, at, golden.length));
                    case "repeat" -> concat(concat(java.util.Arrays.copyOfRange(golden, 0, Math.min(golden.length, at + len)),
                            java.util.Arrays.copyOfRange(golden, at, Math.min(golden.length, at + len))),
                            java.util.Arrays.copyOfRange(golden, Math.min(golden.length, at + len), golden.length));
                    default -> java.util.Arrays.copyOfRange(golden, 0, at);
                });
        int tries = Integer.getInteger("orderhub.fuzz.mail-tries", 150);
        int answered = 0;
        int storedUnanswered = 0;
        int unreadableKept = 0;
        List<String> crashes = new ArrayList<>();
        List<String> leftUnread = new ArrayList<>();
        jakarta.mail.Session session = session();
        for (byte[] bytes : mutated.sampleStream().limit(tries).toList()) {
            String messageId = "<" + UUID.randomUUID() + "@mime.example>";
            try {
                MimeMessage m = new MimeMessage(session, new java.io.ByteArrayInputStream(bytes));
                // a fresh Message-ID for each, so that every mutation is read (not answered as read before)
                m.setHeader("Message-ID", messageId);
                java.util.Optional<MailReply> reply = mailIntake.receive(m);
                if (reply.isPresent()) {
                    answered++;
                    mailIntake.answered(reply.get().messageId());
                } else {
                    storedUnanswered++;
                }
                // whatever the mutation, the mail is done (never read again at every poll) and kept as receipts
                String state = jdbc.queryForObject("select status || ' ' || coalesce(receipt_ids, '') from mail_messages"
                        + " where message_id = ?", String.class, messageId);
                assertThat(state).as("ledger of %s", messageId).startsWith("DONE ").hasSizeGreaterThan(5);
                if (jdbc.queryForObject("select count(*) from receipts where receipt_id in (" + String.join(",",
                        java.util.Collections.nCopies(state.substring(5).split(",").length, "?")) + ") and errors like ?",
                        Integer.class, concat(state.substring(5).split(","), "%MIME structure cannot be read%")) > 0) {
                    unreadableKept++;
                }
            } catch (MessagingException | java.io.IOException | RuntimeException | StackOverflowError e) {
                // a mail the intake could neither answer nor keep would stay unread and be read at every poll
                (e instanceof MessagingException || e instanceof java.io.IOException ? leftUnread : crashes).add(e
                        + " for: " + new String(bytes, StandardCharsets.ISO_8859_1).substring(0, Math.min(300, bytes.length)));
            }
        }
        IngestLoad.report("hostile-mime", "| mutated MIME mails | a two-attachment order mail cut, spliced, repeated and "
                + "truncated (jqwik), given to the mail intake | " + tries + " mails | answered " + answered
                + ", stored with no address to answer "
                + storedUnanswered + " (kept whole as unreadable MIME " + unreadableKept + "), left unread " + leftUnread.size() + ", crashes " + crashes.size() + " | "
                + (crashes.isEmpty() && leftUnread.isEmpty() ? "pass" : "FAIL") + " |");
        assertThat(crashes).isEmpty();
        assertThat(leftUnread).as("mails neither answered nor kept").isEmpty();
        assertThat(answered).isPositive();
    }

    static Object[] concat(Object[] a, Object b) {
        Object[] c = java.util.Arrays.copyOf(a, a.length + 1);
        c[a.length] = b;
        return c;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    // --- a channel's mail client ---

    private MimeMessage mail(String from, String subject, String text, MimeBodyPart... attachments) throws Exception {
        String id = "<" + UUID.randomUUID() + "@hostile.example>";
        MimeMessage m = new MimeMessage(session()) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", id);
            }
        };
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(ORDERS));
        m.setSubject(subject);
        if (attachments.length == 0) {
            m.setText(text, "UTF-8");
        } else {
            MimeMultipart multi = new MimeMultipart();
            MimeBodyPart body = new MimeBodyPart();
            body.setText("Please find our order attached.", "UTF-8");
            multi.addBodyPart(body);
            for (MimeBodyPart a : attachments) {
                multi.addBodyPart(a);
            }
            m.setContent(multi);
        }
        m.saveChanges();
        return m;
    }

    private static MimeBodyPart attachment(String name, String type, byte[] content) throws Exception {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(content, type)));
        part.setFileName(name);
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        return part;
    }

    private jakarta.mail.Session session() {
        return new io.orderhub.support.SandboxMailbox(mailServer).session();
    }

    private List<MimeMessage> messagesFor(String address) throws Exception {
        return new io.orderhub.support.SandboxMailbox(mailServer).messagesFor(address);
    }

    private static String text(Message m) throws Exception {
        Object content = m.getContent();
        if (content instanceof Multipart multi) {
            return (String) multi.getBodyPart(0).getContent();
        }
        return (String) content;
    }
}
