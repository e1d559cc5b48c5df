-- The sandbox carrier claims a parcel's next tracking step for a while before it sends the webhook, without
-- holding a transaction open while the hub answers; a claim left by an instance that died runs out and the
-- step is sent again (SandboxCarrier.tick).
alter table sandbox_carrier_shipments add column sending_until timestamp with time zone;
