-- Shipping (issue 7): each packed shipment becomes a parcel at a carrier (EasyPost v2 protocol).
-- The carrier's shipment id is stored BEFORE a label is bought, so a retry after a timeout asks the
-- carrier whether the label exists instead of buying a second one.

alter table shipments add column carrier varchar(64);
alter table shipments add column service varchar(64);
alter table shipments add column tracking_number varchar(100);

create table parcels (
    shipment_id          varchar(20)  primary key references shipments (shipment_id),
    order_id             varchar(20)  not null references orders (order_id),
    account              varchar(64)  not null,
    carrier_shipment_id  varchar(100),
    rate_id              varchar(100),
    carrier              varchar(64),
    service              varchar(64),
    rate_amount          numeric(19,4),
    rate_currency        varchar(3),
    delivery_days        integer,
    tracking_code        varchar(100),
    label_url            varchar(1000),
    tracker_id           varchar(100),
    -- NEW (carrier shipment created), LABELLED, HELD (carrier refused: message), VOIDED
    state                varchar(16)  not null,
    tracking_status      varchar(32),
    tracking_rank        integer      not null default 0,
    message              varchar(2000),
    attempts             integer      not null default 0,
    refund_status        varchar(64),
    created_at           timestamp with time zone not null,
    updated_at           timestamp with time zone not null,
    delivered_at         timestamp with time zone
);
create index parcels_order on parcels (order_id);
create index parcels_tracking on parcels (tracking_code);
create index parcels_state on parcels (state, tracking_rank);

-- tracker.updated events already acted on: a replayed webhook changes nothing
create table carrier_events (
    account       varchar(64)  not null,
    event_id      varchar(100) not null,
    received_at   timestamp with time zone not null,
    primary key (account, event_id)
);

-- one row per shipping job; the instance holding its row lock runs it (one poller across instances)
create table shipping_job_lock (
    name          varchar(32)  primary key,
    holder        varchar(100),
    last_run      timestamp with time zone
);
insert into shipping_job_lock (name) values ('dispatch');
insert into shipping_job_lock (name) values ('tracking-poll');
insert into shipping_job_lock (name) values ('completion');

-- the sandbox carrier's own state (embedded default only)
create table sandbox_carrier_shipments (
    id              varchar(40)  primary key,
    request         text         not null,
    to_postal_code  varchar(20),
    rate_id         varchar(40),
    carrier         varchar(64),
    service         varchar(64),
    tracking_code   varchar(40),
    created_at      timestamp with time zone not null,
    purchased_at    timestamp with time zone,
    refund_status   varchar(16),
    sent_rank       integer      not null default 0
);
create index sandbox_carrier_tracking on sandbox_carrier_shipments (tracking_code);
