-- The sync targets that keep only an order's latest state (the CRM) skip an event when a later event of the
-- same order is already committed (SyncService.superseded): looked up by order, newest last.
create index outbox_order on outbox (order_id, id);
