-- The sandbox payment gateways' own state (embedded default only; empty elsewhere), in the database like
-- the other sandboxes: a gateway keeps its idempotency keys and payments across a restart of the hub and
-- across hub instances, as Stripe and Adyen do (before, a charge retried with its key after a hub restart
-- became a second payment in the sandbox).
create table sandbox_payment_keys (
    gateway          varchar(16)  not null,
    idempotency_key  varchar(255) not null,
    fingerprint      text         not null,
    -- 0 while the first request with the key is being answered
    status           integer      not null,
    body             text,
    created_at       timestamp with time zone not null,
    primary key (gateway, idempotency_key)
);

create table sandbox_payment_objects (
    gateway     varchar(16)  not null,
    id          varchar(64)  not null,
    body        text         not null,
    refunded    bigint       not null default 0,
    created_at  timestamp with time zone not null,
    primary key (gateway, id)
);
