package io.orderhub.messaging;

import java.util.List;

/** What a bulk replay did: how many letters it found, how many went through, and each letter's outcome. */
public record BulkReplay(int matched, int replayed, int failed, List<Outcome> letters) {

    public static BulkReplay of(List<Outcome> outcomes) {
        int ok = (int) outcomes.stream().filter(o -> o.error() == null).count();
        return new BulkReplay(outcomes.size(), ok, outcomes.size() - ok, outcomes);
    }

    /** One letter: its status before and after, and why it failed (null when replayed). */
    public record Outcome(long id, String orderId, String before, String after, String error) {
    }
}
