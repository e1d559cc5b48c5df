package io.orderhub.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * What the outside world saw of each order, counted where it landed: the payment gateway's charges, the
 * carrier's purchased labels, the ERP's sales orders, status updates and invoices, the CRM's order record
 * updates (the hub's sandboxes, through their {@code /received} listings and the carrier's shipment API),
 * and the customer's notification mails on a mail server of the test's own. Each order must have exactly
 * one of each; a mail sent again in the window between the SMTP server's acceptance and the hub's record of
 * it carries the same Message-ID as the first (StableIdMimeMessage) and is counted apart, as a resend.
 */
final class Downstream {

    static final String OPS_KEY = HubProcess.OPS_KEY;
    static final String CARRIER_KEY = "sandbox-carrier-key";
    /** The customer mails of a completed order (channels.yaml: webshop notifies these events). */
    static final int CUSTOMER_MAILS_PER_COMPLETED_ORDER = 4;
    private static final Pattern ORDER_ID = Pattern.compile("ORD-\\d{9}");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    Downstream(int port) {
        this.port = port;
    }

    /** Every order the hub holds, as the list API gives them. */
    List<JsonNode> allOrders() throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode p = get("/api/orders?size=200&page=" + page);
            p.get("items").forEach(out::add);
            if (page + 1 >= p.get("totalPages").asInt()) {
                return out;
            }
        }
    }

    /** Every order the hub holds: orderId → status. */
    Map<String, String> orders() throws IOException, InterruptedException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode o : allOrders()) {
            out.put(o.get("orderId").asText(), o.get("status").asText());
        }
        return out;
    }

    /** externalId → the hub's orders with it (more than one would be a duplicate). */
    Map<String, List<String>> ordersByExternalId() throws IOException, InterruptedException {
        Map<String, List<String>> out = new HashMap<>();
        for (JsonNode o : allOrders()) {
            out.computeIfAbsent(o.get("externalId").asText(), k -> new ArrayList<>()).add(o.get("orderId").asText());
        }
        return out;
    }

    /** Whether every given order has had its customer mails (one of each kind a completed order gets). */
    static boolean customerMailsComplete(Collection<String> orderIds, TestMailServer mail, String customer)
            throws MessagingException {
        Map<String, Map<String, Map<String, Integer>>> mails = customerMails(mail, customer);
        return orderIds.stream().allMatch(id -> mails.getOrDefault(id, Map.of()).size() >= CUSTOMER_MAILS_PER_COMPLETED_ORDER);
    }

    /** The counts of one run; {@link #problems} names every order that has not exactly one of something. */
    record Tally(int orders, int charges, int labels, int erpSalesOrders, int erpInvoices, int customerMails,
                 int mailsResent, List<String> problems) {

        String describe() {
            return "orders " + orders + ", charges " + charges + ", labels " + labels + ", ERP sales orders "
                    + erpSalesOrders + ", ERP invoices " + erpInvoices + ", customer mails " + customerMails
                    + " (copies sent again with the same Message-ID " + mailsResent + "), orders with a "
                    + "missing or doubled effect " + problems.size();
        }
    }

    /** Counts the effects of the given completed orders; the customer's mails are read from {@code mail}. */
    Tally completedOrders(Collection<String> orderIds, TestMailServer mail, String customer) throws Exception {
        Map<String, Map<String, Map<String, Integer>>> mails = customerMails(mail, customer);
        learnShipments(orderIds);
        int charges = 0;
        int labels = 0;
        int salesOrders = 0;
        int invoices = 0;
        int customerMails = 0;
        int resent = 0;
        List<String> problems = new ArrayList<>();
        for (String orderId : orderIds) {
            List<String> wrong = new ArrayList<>();
            int c = charges(orderId);
            charges += c;
            expectOne(wrong, "charges", c);
            int l = labels(orderId);
            labels += l;
            expectOne(wrong, "labels", l);
            Map<String, Integer> erp = erp(orderId);
            salesOrders += erp.getOrDefault("sales order", 0);
            invoices += erp.getOrDefault("invoice", 0);
            expectOne(wrong, "ERP sales orders", erp.getOrDefault("sales order", 0));
            expectOne(wrong, "ERP invoices", erp.getOrDefault("invoice", 0));
            erp.forEach((what, n) -> {
                if (what.startsWith("status ") && n != 1) {
                    wrong.add("ERP " + what + " " + n + " times");
                }
            });
            crm(orderId).forEach((status, n) -> {
                if (n != 1) {
                    wrong.add("CRM order record with status " + status + " " + n + " times");
                }
            });
            Map<String, Map<String, Integer>> byKind = mails.getOrDefault(orderId, Map.of());
            if (byKind.size() != CUSTOMER_MAILS_PER_COMPLETED_ORDER) {
                wrong.add("customer mails of " + byKind.size() + " kinds, not " + CUSTOMER_MAILS_PER_COMPLETED_ORDER
                        + ": " + byKind.keySet());
            }
            for (Map.Entry<String, Map<String, Integer>> kind : byKind.entrySet()) {
                customerMails++;
                if (kind.getValue().size() != 1) {
                    wrong.add("customer mail '" + kind.getKey() + "' sent as " + kind.getValue().size() + " different mails");
                }
                resent += kind.getValue().values().stream().mapToInt(n -> n - 1).sum();
            }
            if (!wrong.isEmpty()) {
                problems.add(orderId + ": " + String.join("; ", wrong));
            }
        }
        for (String reference : labelsOfUnknownShipments()) {
            problems.add("a label was bought for " + reference + ", a shipment of no order counted");
        }
        return new Tally(orderIds.size(), charges, labels, salesOrders, invoices, customerMails, resent, problems);
    }

    private static void expectOne(List<String> wrong, String what, int n) {
        if (n != 1) {
            wrong.add(n + " " + what);
        }
    }

    /** PaymentIntents the gateway created for the order and that succeeded. */
    int charges(String orderId) throws IOException, InterruptedException {
        int n = 0;
        for (JsonNode r : received("payment", orderId)) {
            if (r.get("path").asText().startsWith("/v1/payment_intents/")
                    && orderId.equals(r.at("/body/metadata/order_id").asText())
                    && "succeeded".equals(r.at("/body/status").asText())) {
                n++;
            }
        }
        return n;
    }

    /** Labels the carrier sold for the order's shipments: purchased carrier shipments whose reference is one of them. */
    int labels(String orderId) throws IOException, InterruptedException {
        return purchasedCarrierShipments().getOrDefault(orderId, Set.of()).size();
    }

    /** Labels bought for a reference that is no shipment of any order counted (would be a label too many). */
    Set<String> labelsOfUnknownShipments() throws IOException, InterruptedException {
        Set<String> out = new HashSet<>();
        purchasedCarrierShipments().forEach((orderId, ids) -> {
            if (orderId.startsWith("?")) {
                out.add(orderId.substring(1));
            }
        });
        return out;
    }

    private final Map<String, String> shipmentOwners = new HashMap<>();
    private Map<String, Set<String>> purchased;

    /** orderId → carrier shipments bought for it (read once: every carrier shipment a buy was sent for). */
    private Map<String, Set<String>> purchasedCarrierShipments() throws IOException, InterruptedException {
        if (purchased != null) {
            return purchased;
        }
        Set<String> bought = new HashSet<>();
        Pattern buy = Pattern.compile("^/v2/shipments/([^/]+)/buy$");
        for (JsonNode r : received("carrier", "buy")) {
            Matcher m = buy.matcher(r.get("path").asText());
            if (m.matches()) {
                bought.add(m.group(1));
            }
        }
        Map<String, Set<String>> out = new HashMap<>();
        for (String id : bought) {
            JsonNode s = carrier("/v2/shipments/" + id);
            if (s.path("tracking_code").isTextual()) {
                String reference = s.path("reference").asText();
                out.computeIfAbsent(shipmentOwners.getOrDefault(reference, "?" + reference), k -> new HashSet<>()).add(id);
            }
        }
        purchased = out;
        return out;
    }

    /** Reads which order each shipment belongs to, for the orders given (before counting labels). */
    private void learnShipments(Collection<String> orderIds) throws IOException, InterruptedException {
        for (String orderId : orderIds) {
            for (JsonNode s : get("/api/orders/" + orderId + "/shipments")) {
                shipmentOwners.put(s.get("shipmentId").asText(), orderId);
            }
        }
        purchased = null;
    }

    /** What the ERP holds of the order: "sales order", "invoice", "status <s>" → how many. */
    Map<String, Integer> erp(String orderId) throws IOException, InterruptedException {
        Map<String, Integer> out = new TreeMap<>();
        for (JsonNode r : received("erp", orderId)) {
            String path = r.get("path").asText();
            if (path.equals("/sales-orders/" + orderId)) {
                out.merge("sales order", 1, Integer::sum);
            } else if (path.equals("/invoices/" + orderId)) {
                out.merge("invoice", 1, Integer::sum);
            } else if (path.equals("/sales-orders/" + orderId + "/status")) {
                out.merge("status " + r.at("/body/status").asText(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** The CRM's updates of the order's record: its status → how many updates the CRM stored. */
    Map<String, Integer> crm(String orderId) throws IOException, InterruptedException {
        Map<String, Integer> out = new TreeMap<>();
        for (JsonNode r : received("crm", orderId)) {
            if (r.get("path").asText().endsWith("/OrderHub_Order__c/OrderHub_Order_Id__c/" + orderId)) {
                out.merge(r.at("/body/Status__c").asText(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** orderId → mail kind (the subject with the order number taken out) → Message-ID → copies. */
    static Map<String, Map<String, Map<String, Integer>>> customerMails(TestMailServer mail, String customer)
            throws MessagingException {
        Map<String, Map<String, Map<String, Integer>>> out = new HashMap<>();
        for (MimeMessage m : mail.mailsTo(customer)) {
            String subject = m.getSubject() == null ? "" : m.getSubject();
            Matcher id = ORDER_ID.matcher(subject);
            if (id.find()) {
                out.computeIfAbsent(id.group(), k -> new TreeMap<>())
                        .computeIfAbsent(subject.replace(id.group(), "#"), k -> new TreeMap<>())
                        .merge(m.getMessageID(), 1, Integer::sum);
            }
        }
        return out;
    }

    private JsonNode received(String system, String contains) throws IOException, InterruptedException {
        return get("/sandbox/" + system + "/received?limit=10000&contains="
                + java.net.URLEncoder.encode(contains, StandardCharsets.UTF_8));
    }

    private JsonNode carrier(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/sandbox/carrier" + path)).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((CARRIER_KEY + ":").getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("X-API-Key", OPS_KEY).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }
}
