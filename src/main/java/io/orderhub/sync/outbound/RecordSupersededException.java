package io.orderhub.sync.outbound;

/**
 * An event's claim on a record that several orders' events write (the CRM's Account) lapsed while its call was
 * retried, and a newer event took the record: this event must not send its older state. Not retried in place: the
 * route fails, the event is redelivered, and its new claim finds the record superseded (docs/erp-crm.md).
 */
public class RecordSupersededException extends RuntimeException {

    public RecordSupersededException(String target, String recordType, String eventId) {
        super(target + ": the " + recordType + " record was claimed by a newer event while event " + eventId
                + " retried its call; its older state is not sent");
    }
}
