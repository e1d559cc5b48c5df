package io.orderhub.outbound;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.orderhub.channel.Channel.PartnerIds;
import io.orderhub.mapping.MappingFiles;
import io.xlate.edi.schema.EDISchemaException;
import io.xlate.edi.schema.Schema;
import io.xlate.edi.schema.SchemaFactory;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamReader;
import org.springframework.stereotype.Component;

/**
 * Writes X12 and EDIFACT documents and reads them back before they go (docs/b2b-outbound.md). The body
 * of a transaction set / message comes from its mapping, a Freemarker file
 * {@code mappings/outbound/<standard>/<type>.ftl} that writes one segment per line (values in the model are
 * already escaped for the standard); this class puts the envelope around it (ISA/GS/ST..SE/GE/IEA or
 * UNA/UNB/UNH..UNT/UNZ) with the document's control number and counts the segments. The result is read
 * again with StAEDI: the envelope against StAEDI's control schemas, the body against
 * {@code mappings/outbound/<standard>/<type>.schema.xml}; every problem found is returned, and a document
 * with any is held, never sent.
 */
@Component
public class EdiDocuments {

    public static final String X12 = "x12";
    public static final String EDIFACT = "edifact";
    static final String DIR = "outbound/";

    /** What names a document in its envelope: X12 ST01 and GS01, EDIFACT UNH 0065:0052:0054:0051. */
    record Kind(String x12Set, String x12Functional, String edifactMessage) {
    }

    static final Map<String, Kind> KINDS = Map.of(
            OutboundDocument.ORDER_RESPONSE, new Kind("855", "PR", "ORDRSP:D:96A:UN"),
            OutboundDocument.SHIP_NOTICE, new Kind("856", "SH", "DESADV:D:96A:UN"),
            OutboundDocument.INVOICE, new Kind("810", "IN", "INVOIC:D:96A:UN"),
            OutboundDocument.CREDIT_NOTE, new Kind("810", "IN", "INVOIC:D:96A:UN"));

    private static final EDIInputFactory READER = readerFactory();

    private final MappingFiles mappings;
    private final Configuration freemarker;

    public EdiDocuments(MappingFiles mappings) {
        this.mappings = mappings;
        Configuration c = new Configuration(Configuration.VERSION_2_3_34);
        c.setDefaultEncoding(StandardCharsets.UTF_8.name());
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        c.setNumberFormat("computer");
        c.setAPIBuiltinEnabled(false);
        c.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        this.freemarker = c;
    }

    private static EDIInputFactory readerFactory() {
        EDIInputFactory f = EDIInputFactory.newFactory();
        f.setProperty(EDIInputFactory.EDI_IGNORE_EXTRANEOUS_CHARACTERS, true);
        return f;
    }

    /** True when the mapping of this document exists for the standard. */
    public boolean hasMapping(String standard, String type) {
        return mappings.exists(mapping(standard, type)) && mappings.exists(schema(standard, type));
    }

    public static String mapping(String standard, String type) {
        return DIR + standard + "/" + type + ".ftl";
    }

    public static String schema(String standard, String type) {
        return DIR + standard + "/" + type + ".schema.xml";
    }

    /** A written document: its text, the group and set control it carries, and what reading it back found. */
    public record Written(String text, String groupControl, String setControl, List<String> errors) {
    }

    /**
     * Writes the document with control number {@code control} for the partner, then reads it back.
     *
     * @throws MappingFailure when the mapping does not render
     */
    public Written write(String standard, String type, Map<String, Object> model, PartnerIds ids, long control,
                         ZonedDateTime now) {
        Kind kind = KINDS.get(type);
        List<String> body = render(mapping(standard, type), model);
        String text;
        String group;
        String set;
        if (X12.equals(standard)) {
            group = Long.toString(control);
            set = String.format("%04d", control % 1_000_000_000L);
            text = x12(kind, body, ids, control, set, now);
        } else {
            group = Long.toString(control);
            set = Long.toString(control);
            text = edifact(kind, body, ids, control, now);
        }
        return new Written(text, group, set, readBack(text, schema(standard, type)));
    }

    private String x12(Kind kind, List<String> body, PartnerIds ids, long control, String set, ZonedDateTime now) {
        String isaControl = String.format("%09d", control % 1_000_000_000L);
        List<String> segments = new ArrayList<>();
        segments.add(String.join("*", "ISA", "00", pad("", 10), "00", pad("", 10), pad(ids.senderQualifier(), 2),
                pad(ids.senderId(), 15), pad(ids.receiverQualifier(), 2), pad(ids.receiverId(), 15),
                now.format(DateTimeFormatter.ofPattern("yyMMdd")), now.format(DateTimeFormatter.ofPattern("HHmm")), "U",
                "00401", isaControl, "0", ids.usage(), ">"));
        segments.add(String.join("*", "GS", kind.x12Functional(), ids.applicationSender(), ids.applicationReceiver(),
                now.format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8),
                now.format(DateTimeFormatter.ofPattern("HHmm")), Long.toString(control), "X", "004010"));
        segments.add("ST*" + kind.x12Set() + "*" + set);
        segments.addAll(body);
        segments.add("SE*" + (body.size() + 2) + "*" + set);
        segments.add("GE*1*" + control);
        segments.add("IEA*1*" + isaControl);
        return String.join("~\n", segments) + "~\n";
    }

    private String edifact(Kind kind, List<String> body, PartnerIds ids, long control, ZonedDateTime now) {
        List<String> segments = new ArrayList<>();
        // syntax 4: the fifth character is the repetition separator ('*'), not the reserved space of syntax 3
        segments.add("UNA:+.?*'");
        segments.add("UNB+UNOY:4+" + EdiText.edifact(ids.senderId()) + qualifier(ids.senderQualifier()) + "+"
                + EdiText.edifact(ids.receiverId()) + qualifier(ids.receiverQualifier()) + "+"
                + now.format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8) + ":" + now.format(DateTimeFormatter.ofPattern("HHmm"))
                + "+" + control + ("T".equals(ids.usage()) ? "++++++1" : ""));
        segments.add("UNH+" + control + "+" + kind.edifactMessage());
        segments.addAll(body);
        segments.add("UNT+" + (body.size() + 2) + "+" + control);
        segments.add("UNZ+1+" + control);
        // UNA is a service string advice: its last character is the terminator itself
        return segments.get(0) + "\n" + String.join("'\n", segments.subList(1, segments.size())) + "'\n";
    }

    private static String qualifier(String q) {
        return q == null || q.isBlank() ? "" : ":" + EdiText.edifact(q);
    }

    /** The mapping's output: one segment per non-blank line, trailing empty elements dropped. */
    List<String> render(String file, Map<String, Object> model) {
        String text = process(template(mappings, freemarker, file), file, model);
        List<String> segments = new ArrayList<>();
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (!s.isEmpty()) {
                segments.add(trimEmpty(s));
            }
        }
        return segments;
    }

    /** Drops trailing empty elements ({@code N1*BY*x**} → {@code N1*BY*x}), minding EDIFACT's release character. */
    static String trimEmpty(String segment) {
        String s = segment;
        while (s.length() > 1) {
            char last = s.charAt(s.length() - 1);
            boolean released = s.length() > 1 && s.charAt(s.length() - 2) == '?';
            if ((last == '*' || last == '+' || last == ':') && !released) {
                s = s.substring(0, s.length() - 1);
            } else {
                break;
            }
        }
        return s;
    }

    /**
     * Reads the document with StAEDI, the envelope against its control schema and each transaction set /
     * message against the schema file; every error found, as "segment TAG (position n) element e: problem".
     */
    public List<String> readBack(String text, String schemaFile) {
        List<String> errors = new ArrayList<>();
        Schema schema;
        try {
            schema = mappings.cached(schemaFile, bytes -> {
                try {
                    return SchemaFactory.newFactory().createSchema(new ByteArrayInputStream(bytes));
                } catch (EDISchemaException e) {
                    throw new MappingFailure("mappings/" + schemaFile + " is not a StAEDI schema: " + e.getMessage());
                }
            });
        } catch (MappingFailure e) {
            return List.of(e.getMessage());
        }
        try (EDIStreamReader reader = READER.createEDIStreamReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8.name())) {
            boolean transactions = false;
            while (reader.hasNext()) {
                EDIStreamEvent event = reader.next();
                switch (event) {
                    case START_TRANSACTION -> {
                        transactions = true;
                        reader.setTransactionSchema(schema);
                    }
                    case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR -> {
                        var at = reader.getLocation();
                        errors.add("segment " + (at.getSegmentTag() == null ? reader.getText() : at.getSegmentTag())
                                + " (position " + at.getSegmentPosition() + ")"
                                + (event == EDIStreamEvent.SEGMENT_ERROR ? "" : " element " + at.getElementPosition()
                                + (at.getComponentPosition() > 0 ? " component " + at.getComponentPosition() : ""))
                                + ": " + reader.getErrorType().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
                    }
                    default -> {
                    }
                }
            }
            if (!transactions) {
                errors.add("no transaction set or message was found");
            }
        } catch (EDIStreamException | IOException | RuntimeException e) {
            errors.add("the document cannot be read back: " + e.getMessage());
        }
        return errors;
    }

    static String pad(String value, int width) {
        String v = value == null ? "" : value;
        return v.length() >= width ? v.substring(0, width) : v + " ".repeat(width - v.length());
    }

    /** The time written into envelopes: UTC. */
    static ZonedDateTime utc(java.time.Instant at) {
        return at.atZone(ZoneOffset.UTC);
    }

    /** A mapping that is missing or does not render: the document is held with this reason. */
    /** The mapping file as a template, compiled once per version in force (MappingFiles). */
    static Template template(MappingFiles mappings, freemarker.template.Configuration freemarker, String file) {
        return mappings.cached(file, bytes -> {
            try {
                return new Template(file, new StringReader(new String(bytes, StandardCharsets.UTF_8)), freemarker);
            } catch (IOException e) {
                throw new MappingFailure("mappings/" + file + " is not a valid template: " + e.getMessage());
            }
        });
    }

    /** The template's output for the model; a template that fails is a {@link MappingFailure} naming the file. */
    static String process(Template template, String file, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        try {
            template.process(model, out);
        } catch (TemplateException e) {
            throw new MappingFailure("mappings/" + file + ": " + e.getMessageWithoutStackTop());
        } catch (IOException e) {
            throw new MappingFailure("mappings/" + file + " cannot be rendered: " + e.getMessage());
        }
        return out.toString();
    }

    public static class MappingFailure extends RuntimeException {
        public MappingFailure(String message) {
            super(message);
        }
    }
}
