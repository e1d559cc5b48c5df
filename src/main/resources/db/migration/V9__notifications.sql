-- Customer and sender notifications (issue 9): one row per (event, recipient kind) that was mailed or
-- dead-lettered. The primary key is what makes a redelivered event send no second mail: the row is
-- written right after the SMTP server took the mail (or in the same transaction as the dead letter in
-- sync_dead_letters, target notify.customer / notify.sender), and a redelivery finds it.
-- event_id: the lifecycle event's id, or for a rejected document a UUID derived from the receipt and
-- its attempt. The recipient address is kept for operations (the order holds it anyway).
create table notifications (
    event_id        varchar(36)  not null,
    recipient_kind  varchar(16)  not null,
    event_type      varchar(64)  not null,
    order_id        varchar(20),
    receipt_id      varchar(40),
    channel         varchar(64),
    recipient       varchar(320) not null,
    locale          varchar(16)  not null,
    subject         varchar(500) not null,
    status          varchar(16)  not null,
    attempts        integer      not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint notifications_pk primary key (event_id, recipient_kind)
);
create index notifications_order on notifications (order_id);
