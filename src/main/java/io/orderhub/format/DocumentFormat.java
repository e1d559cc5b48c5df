package io.orderhub.format;

/**
 * A document format the hub reads (canonical JSON, Shopify, UBL, X12 850, ...). Implementations are
 * Spring beans; the {@link FormatRegistry} picks the one that recognises a document and asks it to
 * map the document to canonical orders. A format never stores anything and never throws for bad
 * content: problems are reported in the {@link FormatResult} with their position in the document.
 */
public interface DocumentFormat {

    /** The format id used in channels.yaml, receipts and golden case folders, e.g. {@code x12-850}. */
    String id();

    /**
     * How sure this format is that the document is one of its own, from its first characters and
     * content type: 0 means not at all; the highest score above 0 wins.
     */
    int recognise(DocumentHead head);

    /**
     * The file under mappings/ this format maps with in {@code context} (the channel's variant or the format's
     * default), or null for a format that maps without one (canonical JSON).
     */
    default String mappingFile(MappingContext context) {
        return null;
    }

    /** Maps the document to one canonical order candidate per order it holds. */
    FormatResult read(byte[] document, MappingContext context);
}
