-- Several hub instances on one database (issue 13, two instances).

-- lease rows of scheduled jobs that have no feature table of their own (io.orderhub.common.JobLeases)
create table scheduled_job_lock (
    name          varchar(32)  primary key,
    holder        varchar(100),
    last_run      timestamp with time zone
);
insert into scheduled_job_lock (name) values ('mail-poll');
insert into scheduled_job_lock (name) values ('pending-payments');

-- the sandbox payment gateways' state (Stripe and Adyen emulators, embedded default), in the database so that
-- the sandboxes of several instances behave as one gateway: an idempotency key answered by one instance is
-- answered the same by the others, and a payment made through one is refunded through another
create table sandbox_payment_keys (
    system           varchar(16)   not null,
    idempotency_key  varchar(255)  not null,
    fingerprint      text          not null,
    status           integer,
    body             text,
    created_at       timestamp with time zone not null,
    primary key (system, idempotency_key)
);
create table sandbox_payment_objects (
    id               varchar(64)   primary key,
    system           varchar(16)   not null,
    body             text          not null,
    refunded         bigint        not null default 0,
    created_at       timestamp with time zone not null
);
