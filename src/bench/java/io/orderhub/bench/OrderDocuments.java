package io.orderhub.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates one valid order document per format with a given number of lines, from a template per
 * format (modelled on the golden cases under mappings/tests). Amounts are exact and consistent:
 * line total = quantity × unit price, subtotal = sum of line totals, tax = sum of line taxes (19 %),
 * grand total = subtotal + shipping + tax. The benchmark checks at setup that every generated document
 * maps to orders that pass the hub's validation, so the measured path is the accepting one.
 */
public final class OrderDocuments {

    public static final List<String> FORMATS = List.of("canonical", "shopify", "woocommerce", "csv", "ubl", "cxml",
            "x12-850", "edifact-orders");

    private static final BigDecimal TAX_RATE = new BigDecimal("0.19");
    private static final BigDecimal SHIPPING = new BigDecimal("5.00");

    private OrderDocuments() {
    }

    /** One order line of the generated documents. */
    record Line(int no, String sku, String description, BigDecimal quantity, BigDecimal unitPrice,
                BigDecimal lineTotal, BigDecimal tax) {
    }

    /** The amounts of one generated order. */
    record Amounts(List<Line> lines, BigDecimal subtotal, BigDecimal shipping, BigDecimal tax, BigDecimal grandTotal) {

        static Amounts of(int count, BigDecimal shipping) {
            List<Line> lines = new ArrayList<>();
            BigDecimal subtotal = BigDecimal.ZERO.setScale(2);
            BigDecimal tax = BigDecimal.ZERO.setScale(2);
            for (int i = 1; i <= count; i++) {
                BigDecimal qty = BigDecimal.valueOf(1 + (i - 1) % 3);
                BigDecimal price = new BigDecimal("4.50").add(new BigDecimal("0.25").multiply(BigDecimal.valueOf((i - 1) % 8)));
                BigDecimal total = qty.multiply(price).setScale(2, RoundingMode.HALF_UP);
                BigDecimal lineTax = total.multiply(TAX_RATE).setScale(2, RoundingMode.HALF_UP);
                lines.add(new Line(i, "SKU-" + (1000 + i), "Article " + i + ", blue", qty, price, total, lineTax));
                subtotal = subtotal.add(total);
                tax = tax.add(lineTax);
            }
            return new Amounts(lines, subtotal, shipping, tax, subtotal.add(shipping).add(tax));
        }
    }

    /** The document of {@code format} holding one order with {@code lines} lines, UTF-8 encoded. */
    public static byte[] document(String format, int lines) {
        String text = switch (format) {
            case "canonical" -> canonical(Amounts.of(lines, SHIPPING));
            case "shopify" -> shopify(Amounts.of(lines, SHIPPING));
            case "woocommerce" -> woocommerce(Amounts.of(lines, SHIPPING));
            case "csv" -> csv(Amounts.of(lines, SHIPPING));
            case "ubl" -> ubl(Amounts.of(lines, BigDecimal.ZERO.setScale(2)));
            case "cxml" -> cxml(Amounts.of(lines, SHIPPING));
            case "x12-850" -> x12(Amounts.of(lines, BigDecimal.ZERO.setScale(2)));
            case "edifact-orders" -> edifact(Amounts.of(lines, BigDecimal.ZERO.setScale(2)));
            default -> throw new IllegalArgumentException("no document template for format " + format);
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String canonical(Amounts a) {
        StringBuilder s = new StringBuilder();
        s.append("""
                {
                  "externalId": "WEB-10001",
                  "orderDate": "2026-11-20T14:32:00+01:00",
                  "currency": "EUR",
                  "customer": {"externalId": "CUST-42", "name": "Erika Mustermann", "email": "erika@example.com", "phone": "+49 30 1234567"},
                  "billTo": {"name": "Erika Mustermann", "line1": "Heidestraße 17", "city": "Köln", "postalCode": "51147", "country": "DE"},
                  "shipTo": {"name": "Erika Mustermann", "line1": "Heidestraße 17", "city": "Köln", "postalCode": "51147", "country": "DE"},
                  "lines": [
                """);
        for (Line l : a.lines()) {
            s.append("    {\"lineNo\": ").append(l.no()).append(", \"sku\": \"").append(l.sku())
                    .append("\", \"description\": \"").append(l.description()).append("\", \"quantity\": ").append(l.quantity())
                    .append(", \"unitPrice\": ").append(l.unitPrice()).append(", \"lineTotal\": ").append(l.lineTotal())
                    .append(", \"taxAmount\": ").append(l.tax()).append(", \"uom\": \"EA\"}")
                    .append(l.no() < a.lines().size() ? ",\n" : "\n");
        }
        s.append("  ],\n  \"totals\": {\"subtotal\": ").append(a.subtotal()).append(", \"discount\": 0, \"shipping\": ")
                .append(a.shipping()).append(", \"tax\": ").append(a.tax()).append(", \"grandTotal\": ").append(a.grandTotal())
                .append("},\n");
        s.append("""
                  "payment": {"method": "card", "token": "pm_card_visa"},
                  "shippingMethod": "standard",
                  "notes": "Please ring twice"
                }
                """);
        return s.toString();
    }

    private static String shopify(Amounts a) {
        StringBuilder s = new StringBuilder();
        s.append("""
                {
                  "order": {
                    "id": 6001000000001,
                    "name": "#DE-1042",
                    "order_number": 1042,
                    "email": "lena@example.de",
                    "created_at": "2026-04-02T16:45:10+02:00",
                    "currency": "EUR",
                    "taxes_included": false,
                    "financial_status": "paid",
                    "gateway": "shopify_payments",
                    "note": "Leave at the door",
                """);
        s.append("    \"total_line_items_price\": \"").append(a.subtotal()).append("\",\n")
                .append("    \"total_discounts\": \"0.00\",\n")
                .append("    \"subtotal_price\": \"").append(a.subtotal()).append("\",\n")
                .append("    \"total_tax\": \"").append(a.tax()).append("\",\n")
                .append("    \"total_price\": \"").append(a.grandTotal()).append("\",\n")
                .append("    \"line_items\": [\n");
        for (Line l : a.lines()) {
            s.append("      {\"id\": ").append(l.no()).append(", \"variant_id\": ").append(5500000 + l.no())
                    .append(", \"product_id\": ").append(9900000 + l.no()).append(", \"sku\": \"").append(l.sku())
                    .append("\", \"title\": \"").append(l.description()).append("\", \"name\": \"").append(l.description())
                    .append("\", \"quantity\": ").append(l.quantity()).append(", \"price\": \"").append(l.unitPrice())
                    .append("\", \"total_discount\": \"0.00\", \"tax_lines\": [{\"title\": \"DE MwSt\", \"price\": \"")
                    .append(l.tax()).append("\", \"rate\": 0.19}]}").append(l.no() < a.lines().size() ? ",\n" : "\n");
        }
        s.append("    ],\n    \"shipping_lines\": [{\"title\": \"DHL Paket\", \"code\": \"dhl\", \"price\": \"")
                .append(a.shipping()).append("\", \"tax_lines\": []}],\n");
        s.append("""
                    "customer": {"id": 880001, "first_name": "Lena", "last_name": "Vogel", "email": "lena@example.de", "phone": null},
                    "billing_address": {"first_name": "Lena", "last_name": "Vogel", "name": "Lena Vogel", "address1": "Rosenstraße 8",
                      "city": "Leipzig", "province_code": "SN", "zip": "04109", "country": "Germany", "country_code": "DE"},
                    "shipping_address": {"first_name": "Lena", "last_name": "Vogel", "name": "Lena Vogel", "company": null,
                      "address1": "Rosenstraße 8", "address2": null, "city": "Leipzig", "province": "Sachsen", "province_code": "SN",
                      "zip": "04109", "country": "Germany", "country_code": "DE", "phone": "+49 341 555000"}
                  }
                }
                """);
        return s.toString();
    }

    private static String woocommerce(Amounts a) {
        StringBuilder s = new StringBuilder();
        s.append("""
                {
                  "id": 1207,
                  "number": "1207",
                  "order_key": "wc_order_TEST1207",
                  "status": "processing",
                  "currency": "EUR",
                  "prices_include_tax": false,
                  "date_created": "2026-02-10T10:15:00",
                  "date_created_gmt": "2026-02-10T09:15:00",
                  "discount_total": "0.00",
                  "discount_tax": "0.00",
                """);
        s.append("  \"shipping_total\": \"").append(a.shipping()).append("\",\n")
                .append("  \"shipping_tax\": \"0.00\",\n")
                .append("  \"cart_tax\": \"").append(a.tax()).append("\",\n")
                .append("  \"total\": \"").append(a.grandTotal()).append("\",\n")
                .append("  \"total_tax\": \"").append(a.tax()).append("\",\n");
        s.append("""
                  "customer_id": 77,
                  "customer_note": "Bitte beim Nachbarn abgeben",
                  "billing": {"first_name": "Jonas", "last_name": "Weber", "company": "Weber GmbH", "address_1": "Hauptstraße 5", "address_2": "",
                    "city": "München", "state": "BY", "postcode": "80331", "country": "DE", "email": "jonas@example.de", "phone": "+49 89 123456"},
                  "shipping": {"first_name": "Jonas", "last_name": "Weber", "company": "", "address_1": "Lagerweg 2", "address_2": "Tor 3",
                    "city": "Garching", "state": "BY", "postcode": "85748", "country": "DE", "phone": ""},
                  "payment_method": "stripe",
                  "payment_method_title": "Credit card",
                  "transaction_id": "ch_3PZ0001",
                  "date_paid": "2026-02-10T10:16:00",
                  "date_paid_gmt": "2026-02-10T09:16:00",
                  "line_items": [
                """);
        for (Line l : a.lines()) {
            s.append("    {\"id\": ").append(l.no()).append(", \"name\": \"").append(l.description())
                    .append("\", \"product_id\": ").append(300 + l.no()).append(", \"variation_id\": 0, \"quantity\": ")
                    .append(l.quantity()).append(", \"subtotal\": \"").append(l.lineTotal()).append("\", \"subtotal_tax\": \"")
                    .append(l.tax()).append("\", \"total\": \"").append(l.lineTotal()).append("\", \"total_tax\": \"")
                    .append(l.tax()).append("\", \"sku\": \"").append(l.sku()).append("\", \"price\": ").append(l.unitPrice())
                    .append("}").append(l.no() < a.lines().size() ? ",\n" : "\n");
        }
        s.append("  ],\n  \"shipping_lines\": [{\"id\": 9001, \"method_title\": \"DHL Paket\", \"method_id\": \"flat_rate\", \"total\": \"")
                .append(a.shipping()).append("\", \"total_tax\": \"0.00\"}],\n");
        s.append("""
                  "fee_lines": [],
                  "coupon_lines": [],
                  "refunds": []
                }
                """);
        return s.toString();
    }

    private static String csv(Amounts a) {
        StringBuilder s = new StringBuilder("order_number,order_date,currency,customer_name,customer_email,ship_name,ship_line1,"
                + "ship_city,ship_postal_code,ship_country,shipping,tax,payment_method,payment_terms,sku,description,quantity,"
                + "unit_price,line_tax,notes\n");
        for (Line l : a.lines()) {
            if (l.no() == 1) {
                s.append("PO-7001,2026-02-01T09:30:00+01:00,EUR,Müller Bürobedarf GmbH,einkauf@mueller.example,")
                        .append("Müller Bürobedarf GmbH,Industriestr. 4,Köln,50667,DE,").append(a.shipping()).append(',')
                        .append(a.tax()).append(",invoice,NET30,");
            } else {
                s.append("PO-7001,,,,,,,,,,,,,,");
            }
            s.append(l.sku()).append(",\"").append(l.description()).append("\",").append(l.quantity()).append(',')
                    .append(l.unitPrice()).append(',').append(l.tax()).append(',')
                    .append(l.no() == 1 ? "\"Deliver to gate 2, ramp B\"" : "").append('\n');
        }
        return s.toString();
    }

    private static String ubl(Amounts a) {
        StringBuilder s = new StringBuilder();
        s.append("""
                <?xml version="1.0" encoding="UTF-8"?>
                <Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"
                       xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
                       xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
                  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
                  <cbc:ID>UBL-77801</cbc:ID>
                  <cbc:IssueDate>2026-11-21</cbc:IssueDate>
                  <cbc:IssueTime>14:05:30+01:00</cbc:IssueTime>
                  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
                  <cac:BuyerCustomerParty>
                    <cac:Party>
                      <cac:PartyIdentification><cbc:ID>BUY-3</cbc:ID></cac:PartyIdentification>
                      <cac:PartyName><cbc:Name>Sakura Handel GmbH</cbc:Name></cac:PartyName>
                      <cac:Person><cbc:FirstName>Hanako</cbc:FirstName><cbc:FamilyName>Yamada</cbc:FamilyName></cac:Person>
                    </cac:Party>
                  </cac:BuyerCustomerParty>
                  <cac:SellerSupplierParty>
                    <cac:Party><cac:PartyName><cbc:Name>OrderHub Demo Supplies</cbc:Name></cac:PartyName></cac:Party>
                  </cac:SellerSupplierParty>
                  <cac:Delivery>
                    <cac:DeliveryLocation>
                      <cac:Address>
                        <cac:AddressLine><cbc:Line>Hafenstraße 1</cbc:Line></cac:AddressLine>
                        <cbc:CityName>Hamburg</cbc:CityName>
                        <cbc:PostalZone>20095</cbc:PostalZone>
                        <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
                      </cac:Address>
                    </cac:DeliveryLocation>
                  </cac:Delivery>
                """);
        s.append("  <cac:TaxTotal>\n    <cbc:TaxAmount currencyID=\"EUR\">").append(a.tax()).append("</cbc:TaxAmount>\n  </cac:TaxTotal>\n")
                .append("  <cac:AnticipatedMonetaryTotal>\n    <cbc:LineExtensionAmount currencyID=\"EUR\">").append(a.subtotal())
                .append("</cbc:LineExtensionAmount>\n    <cbc:PayableAmount currencyID=\"EUR\">").append(a.grandTotal())
                .append("</cbc:PayableAmount>\n  </cac:AnticipatedMonetaryTotal>\n");
        for (Line l : a.lines()) {
            s.append("  <cac:OrderLine>\n    <cac:LineItem>\n      <cbc:ID>").append(l.no()).append("</cbc:ID>\n")
                    .append("      <cbc:Quantity unitCode=\"EA\">").append(l.quantity()).append("</cbc:Quantity>\n")
                    .append("      <cbc:LineExtensionAmount currencyID=\"EUR\">").append(l.lineTotal()).append("</cbc:LineExtensionAmount>\n")
                    .append("      <cbc:TotalTaxAmount currencyID=\"EUR\">").append(l.tax()).append("</cbc:TotalTaxAmount>\n")
                    .append("      <cac:Price><cbc:PriceAmount currencyID=\"EUR\">").append(l.unitPrice()).append("</cbc:PriceAmount></cac:Price>\n")
                    .append("      <cac:Item>\n        <cbc:Name>").append(l.description()).append("</cbc:Name>\n")
                    .append("        <cac:SellersItemIdentification><cbc:ID>").append(l.sku())
                    .append("</cbc:ID></cac:SellersItemIdentification>\n      </cac:Item>\n    </cac:LineItem>\n  </cac:OrderLine>\n");
        }
        s.append("</Order>\n");
        return s.toString();
    }

    private static String cxml(Amounts a) {
        StringBuilder s = new StringBuilder();
        s.append("""
                <?xml version="1.0" encoding="UTF-8"?>
                <cXML payloadID="20261120.4711@buyer.example" timestamp="2026-11-20T10:00:00+01:00">
                  <Header>
                    <From><Credential domain="NetworkId"><Identity>AN01000000087</Identity></Credential></From>
                    <To><Credential domain="NetworkId"><Identity>AN02000000011</Identity></Credential></To>
                    <Sender><Credential domain="NetworkId"><Identity>AN01000000087</Identity></Credential><UserAgent>Bench</UserAgent></Sender>
                  </Header>
                  <Request>
                    <OrderRequest>
                      <OrderRequestHeader orderID="PO-100" orderDate="2026-11-20T10:00:00+01:00" type="new">
                """);
        s.append("        <Total><Money currency=\"EUR\">").append(a.subtotal()).append("</Money></Total>\n");
        s.append("""
                        <ShipTo>
                          <Address>
                            <Name xml:lang="de">Muster AG</Name>
                            <PostalAddress>
                              <Street>Ringstraße 1</Street>
                              <City>Wien</City>
                              <PostalCode>1010</PostalCode>
                              <Country isoCountryCode="AT">Österreich</Country>
                            </PostalAddress>
                          </Address>
                        </ShipTo>
                """);
        s.append("        <Shipping><Money currency=\"EUR\">").append(a.shipping())
                .append("</Money><Description xml:lang=\"de\">Post</Description></Shipping>\n")
                .append("        <Tax><Money currency=\"EUR\">").append(a.tax())
                .append("</Money><Description xml:lang=\"de\">USt</Description></Tax>\n")
                .append("      </OrderRequestHeader>\n");
        for (Line l : a.lines()) {
            s.append("      <ItemOut quantity=\"").append(l.quantity()).append("\" lineNumber=\"").append(l.no()).append("\">\n")
                    .append("        <ItemID><SupplierPartID>").append(l.sku()).append("</SupplierPartID></ItemID>\n")
                    .append("        <ItemDetail>\n          <UnitPrice><Money currency=\"EUR\">").append(l.unitPrice())
                    .append("</Money></UnitPrice>\n          <Description xml:lang=\"de\">").append(l.description())
                    .append("</Description>\n          <UnitOfMeasure>EA</UnitOfMeasure>\n        </ItemDetail>\n      </ItemOut>\n");
        }
        s.append("    </OrderRequest>\n  </Request>\n</cXML>\n");
        return s.toString();
    }

    private static String x12(Amounts a) {
        List<String> set = new ArrayList<>();
        set.add("ST*850*0001");
        set.add("BEG*00*SA*PO-4010-1**20240115");
        set.add("CUR*BY*USD");
        set.add("PER*BD*Jane Buyer*TE*555-0100*EM*jane@acme.example");
        set.add("TXI*ST*" + a.tax());
        set.add("N1*BY*Acme Stores Inc*92*ACME01");
        set.add("N1*ST*Acme Store 12*92*STORE12");
        set.add("N3*100 Main Street*Suite 4");
        set.add("N4*Springfield*IL*62701*US");
        for (Line l : a.lines()) {
            set.add("PO1*" + l.no() + "*" + l.quantity() + "*EA*" + l.unitPrice() + "**VP*" + l.sku() + "*BP*B-" + l.no());
            set.add("PID*F****" + l.description());
        }
        set.add("CTT*" + a.lines().size());
        set.add("AMT*TT*" + a.grandTotal());
        set.add("SE*" + (set.size() + 1) + "*0001");
        StringBuilder s = new StringBuilder();
        s.append("ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*ORDERHUB       *240115*0930*U*00401*000000101*0*P*>~\n");
        s.append("GS*PO*ACMEBUYER*ORDERHUB*20240115*0930*101*X*004010~\n");
        for (String segment : set) {
            s.append(segment).append("~\n");
        }
        s.append("GE*1*101~\nIEA*1*000000101~\n");
        return s.toString();
    }

    private static String edifact(Amounts a) {
        List<String> message = new ArrayList<>();
        message.add("UNH+M1+ORDERS:D:96A:UN:EAN008");
        message.add("BGM+220+PO-EF-1+9");
        message.add("DTM+137:202403011230:203");
        message.add("CUX+2:EUR:9");
        message.add("NAD+BY+4012345000009::9++Mueller Handel GmbH+Hauptstrasse 5+Berlin++10115+DE");
        message.add("CTA+PD+:Anna Schmidt");
        message.add("COM+anna.schmidt@mueller.example:EM");
        message.add("NAD+DP+4012345000016::9++Mueller Lager Nord+Industrieweg 12?+ Tor 3+Hamburg++20095+DE");
        for (Line l : a.lines()) {
            message.add("LIN+" + l.no() + "++" + (4000862141400L + l.no()) + ":EN");
            message.add("PIA+1+" + l.sku() + ":IN");
            message.add("IMD+F++:::" + l.description());
            message.add("QTY+21:" + l.quantity() + ":PCE");
            message.add("PRI+AAA:" + l.unitPrice());
            message.add("MOA+203:" + l.lineTotal());
        }
        message.add("UNS+S");
        message.add("MOA+79:" + a.subtotal());
        message.add("MOA+124:" + a.tax());
        message.add("MOA+86:" + a.grandTotal());
        message.add("CNT+2:" + a.lines().size());
        message.add("UNT+" + (message.size() + 1) + "+M1");
        StringBuilder s = new StringBuilder("UNA:+.? '\nUNB+UNOC:3+4012345000009:14+5412345000013:14+240301:1200+EDI0001'\n");
        for (String segment : message) {
            s.append(segment).append("'\n");
        }
        s.append("UNZ+1+EDI0001'\n");
        return s.toString();
    }
}
