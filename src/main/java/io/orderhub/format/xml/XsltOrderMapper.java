package io.orderhub.format.xml;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orderhub.common.FieldError;
import io.orderhub.format.FormatException;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import io.orderhub.mapping.MappingFiles;
import net.sf.saxon.lib.Feature;
import net.sf.saxon.s9api.DocumentBuilder;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.Serializer;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.s9api.XsltCompiler;
import net.sf.saxon.s9api.XsltExecutable;
import net.sf.saxon.s9api.XdmNode;
import org.springframework.stereotype.Component;

/**
 * Runs an XSLT 3 mapping file (Saxon-HE) over an XML document and turns its JSON output into
 * canonical order candidates. A stylesheet is compiled once through {@link MappingFiles#cached}, and
 * again only when the file changes.
 *
 * <p>The contract with the stylesheets (see {@code mappings/ubl/order.xsl}): the result is serialized
 * with {@code method="json"} and is an object
 * {@code {"orders": [{"documentId", "order", "errors": [{field, message}]}], "documentErrors": [...]}};
 * {@code field} in errors is an XPath into the source document. Amounts are xs:decimal in the
 * stylesheet, which Saxon writes as plain decimal literals; they are read back here as exact
 * BigDecimals (never double).
 */
@Component
public class XsltOrderMapper {

    private final Processor saxon;
    private final ObjectReader reader;

    public XsltOrderMapper(ObjectMapper json) {
        this.saxon = new Processor(false);
        // stylesheets and documents may not reach anything outside: no doc(), unparsed-text(), includes by URL
        saxon.setConfigurationProperty(Feature.ALLOWED_PROTOCOLS, "");
        this.reader = json.reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(JsonNodeFactory.withExactBigDecimals(true));
    }

    /** Parses {@code document} safely and maps it with the stylesheet {@code mappingFile}. */
    public FormatResult map(byte[] document, MappingFiles files, String mappingFile) {
        XsltExecutable stylesheet = stylesheet(files, mappingFile);
        XdmNode source;
        try {
            source = SafeXml.parse(saxon.newDocumentBuilder(), document);
        } catch (FormatException e) {
            return FormatResult.rejected(List.of(e.error()));
        }
        String out;
        try {
            Xslt30Transformer transformer = stylesheet.load30();
            StringWriter text = new StringWriter();
            Serializer serializer = transformer.newSerializer(text);
            transformer.applyTemplates(source, serializer);
            out = text.toString();
        } catch (SaxonApiException e) {
            return FormatResult.rejected(List.of(FieldError.of("body",
                    "could not be mapped by " + mappingFile + ": " + e.getMessage())));
        }
        return result(out, mappingFile);
    }

    private FormatResult result(String out, String mappingFile) {
        JsonNode root;
        try {
            root = reader.readTree(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(mappingFile + " produced invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("orders").isArray()) {
            throw new IllegalStateException(mappingFile + " must produce {\"orders\": [...]} (see XsltOrderMapper)");
        }
        List<FieldError> documentErrors = errors(root.path("documentErrors"));
        List<MappedOrder> orders = new ArrayList<>();
        int position = 0;
        for (JsonNode entry : root.path("orders")) {
            position++;
            JsonNode order = entry.path("order");
            JsonNode id = entry.path("documentId");
            orders.add(new MappedOrder(order.isObject() ? order : null,
                    id.isTextual() && !id.asText().isEmpty() ? id.asText() : null,
                    position, errors(entry.path("errors"))));
        }
        if (!documentErrors.isEmpty()) {
            return new FormatResult(List.of(), documentErrors, null);
        }
        return FormatResult.of(orders);
    }

    private static List<FieldError> errors(JsonNode errors) {
        List<FieldError> list = new ArrayList<>();
        for (JsonNode e : errors) {
            list.add(FieldError.of(e.path("field").asText(), e.path("message").asText()));
        }
        return list;
    }

    private XsltExecutable stylesheet(MappingFiles files, String mappingFile) {
        return files.cached(mappingFile, bytes -> {
            DocumentBuilder builder = saxon.newDocumentBuilder();
            XsltCompiler compiler = saxon.newXsltCompiler();
            try {
                XdmNode xsl = SafeXml.parse(builder, bytes);
                return compiler.compile(xsl.asSource());
            } catch (FormatException e) {
                throw new IllegalStateException("mapping " + mappingFile + " is not well-formed XML: " + e.error().message(), e);
            } catch (SaxonApiException e) {
                throw new IllegalStateException("mapping " + mappingFile + " does not compile: " + e.getMessage(), e);
            }
        });
    }
}
