package io.orderhub.ingest.mail;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Which mails (by Message-ID) the hub has taken, in the table {@code mail_messages}. The primary key
 * decides between hub instances polling one mailbox: exactly one insert wins. A claim that was never
 * finished (its instance died after storing receipts, before answering) may be taken over once it
 * is older than {@code orderhub.mail.claim-stale-seconds}.
 */
@Repository
public class MailLedger {

    public enum State { NEW, TAKEN_OVER, DONE, BUSY }

    /** The outcome of a claim; {@code receiptIds} are those an interrupted earlier claim stored. */
    public record Claim(State state, List<String> receiptIds) {
        public boolean mine() {
            return state == State.NEW || state == State.TAKEN_OVER;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final String instanceId;
    private final Duration stale;
    private final io.orderhub.crypto.DataCipher cipher;

    public MailLedger(NamedParameterJdbcTemplate jdbc, Clock clock, @Value("${orderhub.instance-id}") String instanceId,
                      @Value("${orderhub.mail.claim-stale-seconds}") long staleSeconds, io.orderhub.crypto.DataCipher cipher) {
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.clock = clock;
        this.instanceId = instanceId.length() > 100 ? instanceId.substring(0, 100) : instanceId;
        this.stale = Duration.ofSeconds(staleSeconds);
    }

    /** Claims the mail for this instance (commits at once, outside any transaction of the caller). */
    public Claim claim(String messageId, String sender) {
        Instant now = clock.instant();
        try {
            jdbc.update("""
                    insert into mail_messages (message_id, sender, status, claimed_by, claimed_at)
                    values (:id, :sender, 'CLAIMED', :me, :now)
                    """, params(messageId).addValue("sender", sender == null || sender.length() > 320 ? null : cipher.sealText(sender))
                    .addValue("me", instanceId).addValue("now", Timestamp.from(now)));
            return new Claim(State.NEW, List.of());
        } catch (DuplicateKeyException taken) {
            return existing(messageId, now);
        }
    }

    private Claim existing(String messageId, Instant now) {
        List<Object[]> rows = jdbc.query("select status, claimed_at, receipt_ids from mail_messages where message_id = :id",
                params(messageId), (rs, n) -> new Object[] {rs.getString(1), rs.getTimestamp(2), rs.getString(3)});
        if (rows.isEmpty()) {
            return new Claim(State.BUSY, List.of());
        }
        Object[] row = rows.get(0);
        if ("DONE".equals(row[0])) {
            return new Claim(State.DONE, List.of());
        }
        Timestamp claimedAt = (Timestamp) row[1];
        if (claimedAt.toInstant().plus(stale).isAfter(now)) {
            return new Claim(State.BUSY, List.of());
        }
        int won = jdbc.update("""
                update mail_messages set claimed_by = :me, claimed_at = :now
                where message_id = :id and status = 'CLAIMED' and claimed_at = :then
                """, params(messageId).addValue("me", instanceId).addValue("now", Timestamp.from(now))
                .addValue("then", claimedAt));
        return won == 1 ? new Claim(State.TAKEN_OVER, ids((String) row[2])) : new Claim(State.BUSY, List.of());
    }

    /** Records a receipt stored for the mail, so that a takeover knows what an interrupted claim left. */
    public void addReceipt(String messageId, String receiptId) {
        List<String> ids = new ArrayList<>(ids(jdbc.queryForObject(
                "select receipt_ids from mail_messages where message_id = :id", params(messageId), String.class)));
        ids.add(receiptId);
        jdbc.update("update mail_messages set receipt_ids = :ids where message_id = :id",
                params(messageId).addValue("ids", String.join(",", ids)));
    }

    /** Gives up this instance's unfinished claim: it is stale at once, so the next reading takes it over. */
    public void release(String messageId) {
        jdbc.update("""
                update mail_messages set claimed_at = :epoch
                where message_id = :id and status = 'CLAIMED' and claimed_by = :me
                """, params(messageId).addValue("me", instanceId).addValue("epoch", Timestamp.from(Instant.EPOCH)));
    }

    /** The sender has been answered: the mail is done for every instance. */
    public void done(String messageId) {
        jdbc.update("update mail_messages set status = 'DONE', done_at = :now where message_id = :id",
                params(messageId).addValue("now", Timestamp.from(clock.instant())));
    }

    private static MapSqlParameterSource params(String messageId) {
        return new MapSqlParameterSource("id", messageId);
    }

    private static List<String> ids(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.split(","));
    }
}
