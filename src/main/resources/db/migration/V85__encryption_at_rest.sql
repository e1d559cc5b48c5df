-- Encryption at rest (issue 24, README "Security"): receipts.body, orders.document, outbox.payload and the
-- personal columns hold AES-GCM values that name their key (io.orderhub.crypto.DataCipher); rows written
-- before stay readable as they are until POST /api/ops/crypto/rotate encrypts them. An encrypted value is
-- longer than the clear one, hence the wider columns.

-- orders by the customer's e-mail address: the keyed hash (HMAC-SHA256, hex), never the address
alter table orders add column customer_email_hmac varchar(64);
create index orders_customer_email_hmac on orders (customer_email_hmac);

alter table customers alter column name set data type varchar(2000);
alter table customers alter column email set data type varchar(2000);
alter table customers alter column phone set data type varchar(1000);
alter table customers alter column company set data type varchar(2000);
alter table customers add column email_hmac varchar(64);
create index customers_email_hmac on customers (email_hmac);

alter table notifications alter column recipient set data type varchar(2000);
alter table mail_messages alter column sender set data type varchar(2000);
