-- Lookups made for every request or every timer run, which scanned a table that grows with every order:
-- the sandbox ERP and CRM look up whether a record's path was received before (each upsert and status update),
-- the sandbox carrier's clock looks for parcels with tracking steps left (every tick), and the dispatcher for
-- packed shipments (every run).
create index sandbox_received_path on sandbox_received (system, path);
create index sandbox_carrier_open on sandbox_carrier_shipments (sent_rank, purchased_at);
create index shipments_status on shipments (status, packed_at);
