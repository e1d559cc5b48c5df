-- Per-channel item cross-reference (issue 18 item 8): a partner's item number (the buyer's own number, the
-- supplier's article number as the partner writes it, or a GTIN) -> our SKU. Applied at intake; maintained
-- through PUT/DELETE /api/item-xref/{channel} and the ERP catalogue feed (products[].crossReferences).
create table item_cross_reference (
    channel       varchar(64)  not null,
    partner_item  varchar(100) not null,
    kind          varchar(16)  not null,
    sku           varchar(100) not null,
    source        varchar(16)  not null,
    updated_at    timestamp with time zone not null,
    primary key (channel, partner_item)
);
create index item_cross_reference_sku on item_cross_reference (sku);
