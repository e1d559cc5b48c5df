package io.orderhub.format;

import io.orderhub.common.FieldError;

/** A document a format cannot read at all, with where and why. */
public class FormatException extends RuntimeException {

    private final transient FieldError error;

    public FormatException(FieldError error) {
        super(error.field() + ": " + error.message());
        this.error = error;
    }

    public FieldError error() {
        return error;
    }
}
