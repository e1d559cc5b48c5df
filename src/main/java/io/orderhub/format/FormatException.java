package io.orderhub.format;

import java.util.List;

import io.orderhub.common.FieldError;

/** A document a format cannot read at all, with where and why (one problem, or several found at once). */
public class FormatException extends RuntimeException {

    private final transient List<FieldError> errors;

    public FormatException(FieldError error) {
        this(List.of(error));
    }

    public FormatException(List<FieldError> errors) {
        super(errors.get(0).field() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    /** The first problem. */
    public FieldError error() {
        return errors.get(0);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
