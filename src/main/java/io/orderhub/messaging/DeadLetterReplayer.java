package io.orderhub.messaging;

/**
 * Replays the dead letters of targets that are not ERP/CRM sync targets (customer notifications, for
 * example), so that single and bulk replay from operations reach them through {@code io.orderhub.sync.SyncService}.
 */
public interface DeadLetterReplayer {

    /** Whether this replayer owns the dead letters of {@code target}. */
    boolean replays(String target);

    /** Delivers the OPEN dead letter {@code id} again; answers the letter as it is afterwards. */
    DeadLetter replay(long id);
}
