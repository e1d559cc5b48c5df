-- GET /api/orders?trackingNumber=: find the order of a carrier's tracking code
create index parcels_tracking_code on parcels (tracking_code);
