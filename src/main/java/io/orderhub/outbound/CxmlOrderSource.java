package io.orderhub.outbound;

import java.io.ByteArrayInputStream;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import io.orderhub.ingest.ReceiptStore;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The payloadID of the cXML OrderRequest an order came in, for the OrderReference of the documents that
 * answer it: read from the receipt's stored bytes (the root element's {@code payloadID}). Empty when the order
 * did not come as cXML, or retention removed the bytes.
 */
@Component
public class CxmlOrderSource {

    private final NamedParameterJdbcTemplate jdbc;
    private final ReceiptStore receipts;

    public CxmlOrderSource(NamedParameterJdbcTemplate jdbc, ReceiptStore receipts) {
        this.jdbc = jdbc;
        this.receipts = receipts;
    }

    public Optional<String> payloadId(String orderId) {
        return jdbc.queryForList("""
                select r.receipt_id from orders o join receipts r on r.receipt_id = o.receipt_id
                where o.order_id = :id and r.format = 'cxml'
                """, new MapSqlParameterSource("id", orderId), String.class).stream().findFirst()
                .flatMap(receipts::content).flatMap(CxmlOrderSource::rootPayloadId);
    }

    /** The root element's payloadID, read without DTDs or external entities. */
    static Optional<String> rootPayloadId(byte[] document) {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        try {
            XMLStreamReader r = f.createXMLStreamReader(new ByteArrayInputStream(document));
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT) {
                        return Optional.ofNullable(r.getAttributeValue(null, "payloadID")).filter(p -> !p.isBlank());
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
