package io.orderhub.format;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The root element of an XML document (local name and namespace, wherever it stands after comments,
 * processing instructions and a DOCTYPE) and the local names of its first {@link #MAX_ELEMENTS} elements, read
 * by a streaming parser that loads no DTD and resolves no entity. Null root when the document is not
 * well-formed before its root (then formats fall back to the text head; reading reports the error).
 */
public final class XmlShape {

    public static final int MAX_ELEMENTS = 2_000;
    private static final XMLInputFactory FACTORY = factory();

    private final String rootName;
    private final String rootNamespace;
    private final Set<String> elements;

    private XmlShape(String rootName, String rootNamespace, Set<String> elements) {
        this.rootName = rootName;
        this.rootNamespace = rootNamespace;
        this.elements = elements;
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f;
    }

    static XmlShape of(byte[] body, int start) {
        String root = null;
        String namespace = null;
        Set<String> names = new LinkedHashSet<>();
        XMLStreamReader reader = null;
        try {
            reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body, start, body.length - start));
            while (reader.hasNext() && names.size() < MAX_ELEMENTS) {
                if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                    if (root == null) {
                        root = reader.getLocalName();
                        namespace = reader.getNamespaceURI();
                    }
                    names.add(reader.getLocalName());
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            // keep what was read: the root, when the problem comes after it
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException e) {
                    // nothing held
                }
            }
        }
        return new XmlShape(root, namespace == null ? "" : namespace, names);
    }

    /** The root element's local name, or null when it could not be read. */
    public String rootName() {
        return rootName;
    }

    /** The root element's namespace URI ("" when it has none). */
    public String rootNamespace() {
        return rootNamespace;
    }

    /** Whether an element of this local name is among the document's first {@link #MAX_ELEMENTS}. */
    public boolean hasElement(String localName) {
        return elements.contains(localName);
    }
}
