-- The data subject's rights (issue 24, README "Security"): orders found by the customer's id as the CRM keys
-- it (<channel>-<customer.externalId>), as a keyed hash like customer_email_hmac; when personal data was erased.
alter table orders add column customer_id_hmac varchar(64);
create index orders_customer_id_hmac on orders (customer_id_hmac);
alter table orders add column personal_data_erased_at timestamp with time zone;
