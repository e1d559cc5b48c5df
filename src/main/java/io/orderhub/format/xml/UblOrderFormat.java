package io.orderhub.format.xml;

import io.orderhub.format.DocumentFormat;
import io.orderhub.format.DocumentHead;
import io.orderhub.format.XmlShape;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappingContext;
import org.springframework.stereotype.Component;

/**
 * OASIS UBL 2.0 / 2.1 Order (PEPPOL, CEN BII): one order per document, mapped by
 * {@code mappings/ubl/order.xsl}.
 */
@Component
public class UblOrderFormat implements DocumentFormat {

    public static final String ID = "ubl";
    static final String NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:Order-2";
    static final String DEFAULT_MAPPING = "ubl/order.xsl";

    private final XsltOrderMapper mapper;

    public UblOrderFormat(XsltOrderMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int recognise(DocumentHead head) {
        XmlShape xml = head.xml();
        if (xml.rootName() != null) {
            return "Order".equals(xml.rootName()) && NAMESPACE.equals(xml.rootNamespace()) ? 90 : 0;
        }
        return "Order".equals(XmlHead.rootName(head)) && head.contains(NAMESPACE) ? 90 : 0;
    }

    @Override
    public String mappingFile(MappingContext context) {
        return context.mappingFile(ID, DEFAULT_MAPPING);
    }

    @Override
    public FormatResult read(byte[] document, MappingContext context) {
        return mapper.map(document, context.mappings(), context.mappingFile(ID, DEFAULT_MAPPING));
    }
}
