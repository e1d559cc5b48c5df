package io.orderhub.sync.outbound.camel;

/** A {@code jsonata:} mapping that cannot be loaded, compiled or run, or that reported a problem: the reason says which. */
public class MappingFailedException extends RuntimeException {

    private final String file;

    public MappingFailedException(String file, String message) {
        super(message);
        this.file = file;
    }

    public String file() {
        return file;
    }
}
