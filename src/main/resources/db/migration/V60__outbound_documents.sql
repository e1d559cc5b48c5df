-- B2B outbound documents (issue 21, docs/b2b-outbound.md).
--
-- outbound_control_numbers: the last control number used per partner and standard. A document takes the
-- next one with an UPDATE of its row (the row lock makes a second hub instance wait for the commit), in the
-- same transaction as the document's row below, so a number is never given twice and never reused: a
-- rolled-back attempt gives its number back together with its document, which was never sent.
create table outbound_control_numbers (
    partner     varchar(100) not null,
    standard    varchar(16)  not null,
    last_value  bigint       not null,
    updated_at  timestamp with time zone not null,
    constraint outbound_control_numbers_pk primary key (partner, standard)
);

-- outbound_documents: every document made for a channel's partner, recorded before it is sent (status
-- PENDING, or HELD with its errors when it failed validation), then SENT, then ACKNOWLEDGED or REJECTED by
-- the partner's 997/999/CONTRL. One document per (event, channel, type): a redelivered event finds its row.
create table outbound_documents (
    document_id     varchar(40)  primary key,
    event_id        varchar(36)  not null,
    event_type      varchar(64)  not null,
    channel         varchar(64)  not null,
    order_id        varchar(20)  not null,
    doc_type        varchar(20)  not null,
    standard        varchar(16)  not null,
    partner         varchar(100) not null,
    control_number  bigint,
    group_control   varchar(20),
    set_control     varchar(20),
    content_type    varchar(100) not null,
    content         bytea        not null,
    status          varchar(16)  not null,
    transport       varchar(16)  not null,
    errors          text,
    ack_reason      text,
    attempts        integer      not null default 0,
    created_at      timestamp with time zone not null,
    sent_at         timestamp with time zone,
    acknowledged_at timestamp with time zone,
    updated_at      timestamp with time zone not null,
    constraint outbound_documents_event unique (event_id, channel, doc_type)
);
create index outbound_documents_order on outbound_documents (order_id);
create index outbound_documents_status on outbound_documents (status, sent_at);
create index outbound_documents_control on outbound_documents (partner, standard, control_number);
