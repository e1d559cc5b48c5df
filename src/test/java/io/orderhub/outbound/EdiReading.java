package io.orderhub.outbound;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;

/** Reads an EDI document as a partner would (StAEDI, no schema of ours): its segments with their elements. */
public final class EdiReading {

    private EdiReading() {
    }

    /** A segment: tag, and each element's text (composite components joined with ':'; empty elements ""). */
    public record Segment(String tag, List<String> elements) {
        public String e(int position) {
            return position <= elements.size() ? elements.get(position - 1) : "";
        }
    }

    public static List<Segment> segments(String document) {
        List<Segment> out = new ArrayList<>();
        EDIInputFactory factory = EDIInputFactory.newFactory();
        factory.setProperty(EDIInputFactory.EDI_IGNORE_EXTRANEOUS_CHARACTERS, true);
        try (EDIStreamReader r = factory.createEDIStreamReader(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8.name())) {
            String tag = null;
            List<String> elements = null;
            StringBuilder composite = null;
            while (r.hasNext()) {
                EDIStreamEvent e = r.next();
                switch (e) {
                    case START_SEGMENT -> {
                        tag = r.getText();
                        elements = new ArrayList<>();
                    }
                    case END_SEGMENT -> out.add(new Segment(tag, elements));
                    case START_COMPOSITE -> composite = new StringBuilder();
                    case END_COMPOSITE -> {
                        elements.add(composite.toString());
                        composite = null;
                    }
                    case ELEMENT_DATA -> {
                        if (composite != null) {
                            if (r.getLocation().getComponentPosition() > 1) {
                                composite.append(':');
                            }
                            composite.append(r.getText());
                        } else {
                            int position = r.getLocation().getElementPosition();
                            while (elements.size() < position - 1) {
                                elements.add("");
                            }
                            elements.add(r.getText());
                        }
                    }
                    case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR -> throw new IllegalStateException(
                            "a partner's reader finds " + r.getErrorType() + " at " + r.getLocation());
                    default -> {
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public static List<Segment> tagged(List<Segment> segments, String tag) {
        return segments.stream().filter(s -> s.tag().equals(tag)).toList();
    }
}
