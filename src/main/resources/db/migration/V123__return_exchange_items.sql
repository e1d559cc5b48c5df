-- Issue 22: an exchange may name the replacement goods ({exchange: [{sku, quantity}]} on the return request). Each
-- item is priced when the return is requested: a SKU of the original order at the price paid for it there, any
-- other SKU at its catalogue price in the order's currency. No items: the received units themselves, same value.
create table return_exchange_items (
    return_id   varchar(20)    not null references returns (return_id),
    item_no     integer        not null,
    sku         varchar(100)   not null,
    description varchar(500),
    quantity    integer        not null check (quantity > 0),
    unit_price  numeric(19, 6) not null check (unit_price >= 0),
    primary key (return_id, item_no)
);

-- the replacement's value minus the received units' value, recorded with the receipt: above zero it is charged
-- through the original order's gateway (key orderhub-<orderId>-exchange-<returnId>) or invoiced, below zero
-- refunded (key orderhub-<orderId>-return-<returnId>, capped by what was captured), zero moves no money
alter table returns add column exchange_difference numeric(19, 4);
