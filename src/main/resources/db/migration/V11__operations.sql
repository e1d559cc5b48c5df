-- Operations (issue 11): dead letters can be discarded with a reason; retention blanks the raw
-- content of old receipts (the row, its checksum and outcome stay) and runs on one instance at a time.

-- why a dead letter was discarded (status DISCARDED); null for OPEN and REPLAYED letters
alter table sync_dead_letters add column resolution text;

-- when retention removed the stored bytes of this receipt (body is then empty)
alter table receipts add column content_removed_at timestamp with time zone;

-- the retention job's lock row, taken with "for update skip locked" like the outbox relay's
insert into outbox_relay_lock (name) values ('retention');
