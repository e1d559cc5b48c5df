-- Inventory planning and reports (issue 10, docs/planning.md).

-- supplier lead times per SKU: the usual and the longest lead time in days
create table supplier_lead_times (
    sku           varchar(100) not null references products (sku),
    supplier      varchar(100) not null,
    lead_time_days numeric(9,2) not null,
    max_lead_time_days numeric(9,2) not null,
    updated_at    timestamp with time zone not null,
    primary key (sku, supplier),
    constraint lead_time_range check (lead_time_days >= 0 and max_lead_time_days >= lead_time_days)
);

-- planning settings of a category (defaults for its SKUs) and of one SKU (its category and overrides);
-- a null column falls back: SKU -> its category -> orderhub.planning.defaults
create table planning_category_settings (
    category      varchar(100) primary key,
    ordering_cost numeric(19,4),
    holding_cost  numeric(19,4),
    pack_size     integer,
    service_level numeric(6,4),
    updated_at    timestamp with time zone not null
);
create table planning_sku_settings (
    sku           varchar(100) primary key references products (sku),
    category      varchar(100),
    ordering_cost numeric(19,4),
    holding_cost  numeric(19,4),
    pack_size     integer,
    service_level numeric(6,4),
    updated_at    timestamp with time zone not null
);

-- the figures of the last recomputation, per SKU and warehouse ('*': all warehouses together)
create table planning_figures (
    sku           varchar(100) not null,
    warehouse_id  varchar(64)  not null,
    computed_at   timestamp with time zone not null,
    avg_daily     numeric(19,4) not null,
    reorder_point numeric(19,2),
    order_quantity bigint,
    document      text         not null,
    primary key (sku, warehouse_id)
);

-- demo history written by the planning seed (embedded default only), added to the orders' demand
create table planning_seeded_demand (
    sku           varchar(100) not null,
    warehouse_id  varchar(64)  not null,
    demand_day    date         not null,
    units         integer      not null check (units >= 0),
    primary key (sku, warehouse_id, demand_day)
);

-- reorder-point crossings: a suggestion goes to the ERP once when stock falls to the reorder point,
-- and again only after stock has been above it and falls again
create table reorder_crossings (
    sku           varchar(100) not null,
    warehouse_id  varchar(64)  not null,
    below         boolean      not null,
    suggestion_id varchar(36),
    crossed_at    timestamp with time zone,
    available     integer,
    reorder_point numeric(19,2),
    quantity      bigint,
    notified_at   timestamp with time zone,
    primary key (sku, warehouse_id)
);
create index reorder_crossings_pending on reorder_crossings (below, notified_at);

-- the planning jobs take their lock rows like the other scheduled jobs
insert into inventory_job_lock (name) values ('planning-recompute');
insert into inventory_job_lock (name) values ('reorder-check');

-- report and planning queries on large histories (docs/planning.md shows the plans on a million orders):
-- the report joins each order of the window to its transitions (fill rate, stage times, stuck orders)
-- by index only; the planning job reads the ledger's reservations by time
create index order_events_transitions on order_events (order_id, to_status, from_status, at);
create index stock_ledger_movement_at on stock_ledger (movement, at);
