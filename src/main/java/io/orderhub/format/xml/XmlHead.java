package io.orderhub.format.xml;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.orderhub.format.DocumentHead;

/** Recognition helpers: the root element of an XML document from its first characters. */
final class XmlHead {

    private static final Pattern PROLOG = Pattern.compile(
            "\\A(?:\\s+|<\\?.*?\\?>|<!--.*?-->|<!DOCTYPE[^\\[>]*(?:\\[.*?\\]\\s*)?>)*", Pattern.DOTALL);
    private static final Pattern START_TAG = Pattern.compile("\\A<(?:[A-Za-z_][\\w.-]*:)?([A-Za-z_][\\w.-]*)[\\s/>]");
    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE\\s+(?:[A-Za-z_][\\w.-]*:)?([A-Za-z_][\\w.-]*)");

    private XmlHead() {
    }

    /**
     * The local name of the root element, or, when the head ends before it (a long internal DTD
     * subset), the name the DOCTYPE gives; null when this does not look like XML.
     */
    static String rootName(DocumentHead head) {
        String text = head.text();
        if (!text.startsWith("<")) {
            return null;
        }
        Matcher prolog = PROLOG.matcher(text);
        int start = prolog.lookingAt() ? prolog.end() : 0;
        Matcher tag = START_TAG.matcher(text.substring(start));
        if (tag.lookingAt()) {
            return tag.group(1);
        }
        Matcher doctype = DOCTYPE.matcher(text);
        return doctype.find() ? doctype.group(1) : null;
    }
}
