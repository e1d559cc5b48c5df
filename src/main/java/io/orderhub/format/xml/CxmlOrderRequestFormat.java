package io.orderhub.format.xml;

import io.orderhub.format.DocumentFormat;
import io.orderhub.format.DocumentHead;
import io.orderhub.format.XmlShape;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappingContext;
import org.springframework.stereotype.Component;

/**
 * cXML OrderRequest (Ariba, Coupa, punch-out platforms): one order per Request element, mapped by
 * {@code mappings/cxml/order-request.xsl}.
 */
@Component
public class CxmlOrderRequestFormat implements DocumentFormat {

    public static final String ID = "cxml";
    static final String DEFAULT_MAPPING = "cxml/order-request.xsl";

    private final XsltOrderMapper mapper;

    public CxmlOrderRequestFormat(XsltOrderMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String id() {
        return ID;
    }

    /** 90 for a cXML document showing an OrderRequest; 40 for one whose OrderRequest lies beyond the head. */
    @Override
    public int recognise(DocumentHead head) {
        XmlShape xml = head.xml();
        if (xml.rootName() != null) {
            return !"cXML".equals(xml.rootName()) ? 0 : xml.hasElement("OrderRequest") ? 90 : 40;
        }
        if (!"cXML".equals(XmlHead.rootName(head))) {
            return 0;
        }
        return head.contains("<OrderRequest") ? 90 : 40;
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
