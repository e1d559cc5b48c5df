package io.orderhub.ingest.camel;

import io.orderhub.ingest.DocumentIntake;
import io.orderhub.ingest.TransportIntake;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The intake's steps every intake route shares (routes/jms-intake, email-intake, orders-api): recognise, map,
 * validate, create, one bean call each on the stored document the route's own first steps put in exchange property
 * {@value #DOCUMENT} ({@link DocumentIntake}). Once a step has refused the document, the later steps pass it by
 * (JMS, e-mail: the answer tells the sender), or the refusal is thrown (REST: the answer is the problem document).
 */
@Component("intakeSteps")
public class IntakeSteps {

    /** Exchange property: the stored document on its way through the steps ({@link DocumentIntake}). */
    public static final String DOCUMENT = "orderhubIntake";
    /** Exchange property: the mapping file the recognise step found; the map step's parameter in the routes. */
    public static final String MAPPING = "orderhubMapping";

    private final TransportIntake steps;

    public IntakeSteps(TransportIntake steps) {
        this.steps = steps;
    }

    /** Recognise the format (or take the one named); exchange property orderhubMapping names its mapping file. */
    public void recognise(Exchange exchange) {
        DocumentIntake document = document(exchange);
        steps.recognise(document);
        exchange.setProperty(MAPPING, document.mapping());
    }

    /** Map the document with {@code mapping}, a file under mappings/ (null: the format's own choice). */
    public void map(Exchange exchange, String mapping) {
        steps.map(document(exchange), mapping);
    }

    /** Validate each mapped order: purpose, schema and business rules, catalogue and the other intake checks. */
    public void validate(Exchange exchange) {
        steps.validate(document(exchange));
    }

    /** Create each order in its own database transaction with its outbox event; the receipt records the outcome. */
    public void create(Exchange exchange) {
        steps.create(document(exchange));
    }

    /** The document the route's steps work on. */
    public static DocumentIntake document(Exchange exchange) {
        return exchange.getProperty(DOCUMENT, DocumentIntake.class);
    }
}
