package io.orderhub.format;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.springframework.stereotype.Component;

/** All formats the hub reads; recognises a document's format from its content and content type. */
@Component
public class FormatRegistry {

    private final List<DocumentFormat> formats;

    public FormatRegistry(List<DocumentFormat> formats) {
        this.formats = List.copyOf(formats);
    }

    public List<String> ids() {
        return formats.stream().map(DocumentFormat::id).sorted().toList();
    }

    public Optional<DocumentFormat> find(String id) {
        return formats.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    /** The format by id (when the sender named one) or by recognition; 415 naming what was seen otherwise. */
    public DocumentFormat resolve(String formatId, byte[] body, String contentType) {
        if (formatId != null && !formatId.isBlank()) {
            return find(formatId).orElseThrow(() -> OrderHubException.field(Problem.UNSUPPORTED_MEDIA_TYPE, "format",
                    "'" + formatId + "' is not a format this hub reads; known formats: " + ids()));
        }
        if (body.length == 0) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "is empty");
        }
        DocumentHead head = DocumentHead.of(body, contentType);
        return formats.stream()
                .filter(f -> f.recognise(head) > 0)
                .max(Comparator.comparingInt(f -> f.recognise(head)))
                .orElseThrow(() -> OrderHubException.field(Problem.UNSUPPORTED_MEDIA_TYPE, "body",
                        "is not in a format this hub recognises" + (head.mediaType().isEmpty() ? ""
                                : " (Content-Type " + head.mediaType() + ")") + "; known formats: " + ids()));
    }
}
