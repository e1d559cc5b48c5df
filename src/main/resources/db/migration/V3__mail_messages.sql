-- E-mail intake ledger: one row per Message-ID. The primary key is what makes two hub instances
-- polling one mailbox ingest a mail once: the second insert fails. A row is CLAIMED while its
-- receipts are stored and processed, DONE once the sender has been answered; a CLAIMED row older
-- than the stale timeout (its instance died) may be taken over.
create table mail_messages (
    message_id    varchar(500) primary key,
    sender        varchar(320),
    status        varchar(16)  not null,
    claimed_by    varchar(100) not null,
    claimed_at    timestamp with time zone not null,
    receipt_ids   text,
    done_at       timestamp with time zone
);
