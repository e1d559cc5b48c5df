-- Crypto-shredding (issue 24, README "Security"): a data key per customer (named by the keyed hash of the e-mail
-- address, else of the CRM id), wrapped by the key ring (an ohe1: value under the ring's active key, re-wrapped by a
-- rotation). A customer's order documents and raw documents are encrypted under it; an erasure deletes the row, so
-- any copy of those values left elsewhere can no longer be decrypted.
create table customer_keys (
    key_id        varchar(40)  primary key,
    customer_hmac varchar(64)  not null,
    wrapped_key   varchar(200) not null,
    created_at    timestamp with time zone not null
);
create unique index customer_keys_customer on customer_keys (customer_hmac);
