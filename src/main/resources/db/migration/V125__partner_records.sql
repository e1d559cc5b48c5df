-- Records of a partner that the events of several orders write (the CRM's Account, one per customer; issue 17): the
-- sync consumers of every instance send such a record one at a time and never an older state over a newer one
-- (io.orderhub.sync.SyncLedger#claimRecord, routes/crm-sync.camel.yaml). The record is named by a keyed hash of its
-- type and external id (which may hold an e-mail address).
create table partner_records (
    target        varchar(32)  not null,
    record_hash   varchar(64)  not null,
    -- the newest event that claimed the record: its time, then its id (the order between events of one instant)
    newest_at     timestamp with time zone not null,
    newest_event  varchar(36)  not null,
    -- the event whose consumer is sending the record now, until when (a crashed consumer's claim lapses)
    holder        varchar(36),
    held_until    timestamp with time zone,
    constraint partner_records_pk primary key (target, record_hash)
);
