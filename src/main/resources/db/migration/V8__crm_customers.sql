-- Inbound from the ERP and the CRM (issue 8, docs/erp-crm.md).

-- customers as the CRM owns them: contact and credit limit, upserted by the CRM's external id
create table customers (
    external_id     varchar(100) primary key,
    name            varchar(200) not null,
    email           varchar(320),
    phone           varchar(50),
    company         varchar(200),
    credit_limit    numeric(19, 4),
    currency        char(3),
    crm_updated_at  timestamp with time zone,
    updated_at      timestamp with time zone not null,
    constraint customers_credit_limit_not_negative check (credit_limit is null or credit_limit >= 0)
);

-- stock and catalogue updates from the ERP already applied (REST push with updateId, queue erp.stock-updates):
-- a redelivered or resent update is recognised by its id and changes nothing twice
create table erp_inbound_updates (
    update_id       varchar(200) primary key,
    via             varchar(16)  not null,
    applied_at      timestamp with time zone not null
);

-- one scheduled pull of stock levels at a time across hub instances (select ... for update skip locked)
create table erp_inbound_lock (
    name            varchar(32) primary key,
    holder          varchar(100),
    last_run        timestamp with time zone,
    last_result     varchar(1000)
);
insert into erp_inbound_lock (name) values ('stock-poll');

-- the sandbox ERP's stock levels (served at GET /sandbox/erp/stock-levels, set with PUT)
create table sandbox_erp_stock (
    sku             varchar(100) not null,
    warehouse       varchar(64)  not null,
    on_hand         integer      not null,
    updated_at      timestamp with time zone not null,
    primary key (sku, warehouse)
);
