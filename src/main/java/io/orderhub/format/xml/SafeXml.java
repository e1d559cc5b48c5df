package io.orderhub.format.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import io.orderhub.common.FieldError;
import io.orderhub.format.FormatException;
import net.sf.saxon.s9api.BuildingContentHandler;
import net.sf.saxon.s9api.DocumentBuilder;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.DeclHandler;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * Hardened XML reading (DESIGN §9). The parser never loads an external DTD or entity (no network, no
 * file access), and any entity declaration, general or parameter, internal or external, is refused
 * the moment the parser reports it, before it can be referenced: that stops XXE (file and URL),
 * parameter-entity tricks and entity expansion bombs (billion laughs). A DOCTYPE that only names an
 * external DTD, as real cXML documents carry, is accepted and ignored.
 *
 * <p>Documents are parsed here, by the JDK parser configured as above, and handed to Saxon as a
 * finished tree: Saxon never parses raw bytes with its own parser settings.
 */
final class SafeXml {

    private static final String DECLARATION_HANDLER = "http://xml.org/sax/properties/declaration-handler";

    private SafeXml() {
    }

    /**
     * Parses a document into a Saxon tree.
     *
     * @throws FormatException naming line and column when the document is not well-formed or declares an entity
     */
    static XdmNode parse(DocumentBuilder builder, byte[] document) {
        if (document == null || document.length == 0) {
            throw new FormatException(FieldError.of("body", "is empty"));
        }
        try {
            BuildingContentHandler tree = builder.newBuildingContentHandler();
            LocatingFilter filter = new LocatingFilter();
            XMLReader reader = newReader(filter);
            filter.setContentHandler(tree);
            reader.setContentHandler(filter);
            reader.parse(new InputSource(new ByteArrayInputStream(document)));
            return tree.getDocumentNode();
        } catch (EntityRefused e) {
            throw new FormatException(FieldError.of("body", e.getMessage()));
        } catch (SAXParseException e) {
            throw new FormatException(FieldError.of("body", "is not well-formed XML at line " + e.getLineNumber()
                    + ", column " + e.getColumnNumber() + ": " + e.getMessage()));
        } catch (SAXException | SaxonApiException e) {
            throw new FormatException(FieldError.of("body", "is not well-formed XML: " + e.getMessage()));
        } catch (IOException e) {
            // no I/O happens besides reading the byte array: an external resource was asked for
            throw new FormatException(FieldError.of("body", "cannot be read as XML: " + e.getMessage()));
        }
    }

    /** A namespace-aware SAX reader that reads nothing but the document it is given. */
    private static XMLReader newReader(LocatingFilter locations) throws SAXException {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            SAXParser parser = factory.newSAXParser();
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            XMLReader reader = parser.getXMLReader();
            reader.setProperty(DECLARATION_HANDLER, new RefuseEntities(locations));
            // never fetch anything: should the parser still ask for an external entity, it gets nothing
            reader.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            reader.setErrorHandler(new StrictErrors());
            return reader;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser does not support hardening", e);
        }
    }

    /** Refuses every entity declaration as soon as the parser reports it. */
    private record RefuseEntities(LocatingFilter locations) implements DeclHandler {

        @Override
        public void internalEntityDecl(String name, String value) throws SAXException {
            throw refused(name);
        }

        @Override
        public void externalEntityDecl(String name, String publicId, String systemId) throws SAXException {
            throw refused(name);
        }

        private EntityRefused refused(String name) {
            String kind = name.startsWith("%") ? "a parameter entity" : "an entity";
            String entity = name.startsWith("%") ? name.substring(1) : name;
            return new EntityRefused("declares " + kind + " '" + safeName(entity) + "'" + locations.where()
                    + "; entity declarations are refused (XXE and entity expansion protection): "
                    + "remove the entity declarations (a DOCTYPE naming an external DTD is fine)");
        }

        @Override
        public void elementDecl(String name, String model) {
            // element declarations are harmless and ignored
        }

        @Override
        public void attributeDecl(String eName, String aName, String type, String mode, String value) {
            // attribute declarations are harmless and ignored
        }
    }

    private static String safeName(String name) {
        return name.length() > 40 ? name.substring(0, 40) + "…" : name;
    }

    /** Keeps the parser's locator so errors can name a line and column. */
    private static final class LocatingFilter extends XMLFilterImpl {

        private Locator locator;

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            super.setDocumentLocator(locator);
        }

        String where() {
            return locator == null || locator.getLineNumber() < 0 ? ""
                    : " at line " + locator.getLineNumber() + ", column " + locator.getColumnNumber();
        }
    }

    private static final class StrictErrors implements ErrorHandler {

        @Override
        public void warning(SAXParseException e) {
            // warnings (e.g. an unresolved DTD) do not make a document unreadable
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    }

    private static final class EntityRefused extends SAXException {

        EntityRefused(String message) {
            super(message);
        }
    }
}
