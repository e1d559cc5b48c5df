-- A million orders for the planning and report query plans (bench/planning-queries.sh). PostgreSQL only.
-- 200 SKUs, orders spread evenly over the last 365 days on four channels, 1.5 lines per order,
-- each order's timeline up to its status (6 transitions for a completed order), one RESERVE ledger row per line.
insert into products (sku, description, unit_price, currency, updated_at)
select 'BENCH-' || lpad(i::text, 4, '0'), 'bench item ' || i, 1 + (i % 50), 'EUR', now() from generate_series(1, 200) i;
insert into stock (sku, warehouse_id, on_hand, updated_at)
select p.sku, w.warehouse_id, 1000, now() from products p cross join warehouses w where p.sku like 'BENCH-%';

insert into orders (order_id, channel, external_id, status, currency, grand_total, order_date, received_at, updated_at,
                    receipt_id, document)
select 'B' || lpad(i::text, 9, '0'), (array['webshop', 'b2b', 'marketplace', 'email'])[1 + i % 4], 'bench-' || i,
       case when i % 50 = 0 then 'CANCELLED' when i % 97 = 0 then 'CONFIRMED' when i % 89 = 0 then 'BACKORDERED'
            else 'COMPLETED' end,
       case when i % 5 = 0 then 'USD' else 'EUR' end, round((10 + (i % 200))::numeric, 2), ts::text, ts, ts, 'bench', '{}'
from (select i, now() - (i::double precision / 1000000) * interval '365 days' as ts from generate_series(1, 1000000) i) s;

insert into order_lines (order_id, line_no, sku, quantity, uom, unit_price, line_total)
select 'B' || lpad(i::text, 9, '0'), 1, 'BENCH-' || lpad((1 + i % 200)::text, 4, '0'), 1 + i % 3, 'EA', 10, 10 * (1 + i % 3)
from generate_series(1, 1000000) i;
insert into order_lines (order_id, line_no, sku, quantity, uom, unit_price, line_total)
select 'B' || lpad(i::text, 9, '0'), 2, 'BENCH-' || lpad((1 + (i * 7) % 200)::text, 4, '0'), 1, 'EA', 10, 10
from generate_series(1, 1000000) i where i % 2 = 0;

-- timelines: cumulative seconds after receipt per stage, scaled per order by a factor in [0.5, 1.5)
insert into order_events (order_id, at, type, from_status, to_status, detail)
select o.order_id, o.received_at + st.secs * (0.5 + (abs(hashtext(o.order_id)) % 1000) / 1000.0) * interval '1 second',
       'order.' || lower(st.t), st.f, st.t, null
from orders o
join (values (1, null, 'CREATED', 0), (2, 'CREATED', 'CONFIRMED', 2), (3, 'CONFIRMED', 'PAID', 62),
             (4, 'PAID', 'ALLOCATED', 67), (5, 'ALLOCATED', 'SHIPPED', 21667), (6, 'SHIPPED', 'DELIVERED', 194467),
             (7, 'DELIVERED', 'COMPLETED', 194468)) as st (k, f, t, secs)
  on st.k <= case o.status when 'COMPLETED' then 7 when 'CONFIRMED' then 2 when 'CANCELLED' then 2 else 1 end
where o.order_id like 'B%';
insert into order_events (order_id, at, type, from_status, to_status, detail)
select order_id, received_at + interval '1 hour', 'order.cancelled', 'CONFIRMED', 'CANCELLED',
       (array['customer changed mind', 'payment declined', 'reservation expired'])[1 + abs(hashtext(order_id)) % 3]
from orders where order_id like 'B%' and status = 'CANCELLED';
insert into order_events (order_id, at, type, from_status, to_status, detail)
select order_id, received_at + interval '1 second', 'order.backordered', 'CREATED', 'BACKORDERED', 'stock short'
from orders where order_id like 'B%' and status = 'BACKORDERED';

insert into stock_ledger (at, sku, warehouse_id, movement, reserved_delta, order_id, reason)
select o.received_at, l.sku, case when o.currency = 'USD' then 'us-east' else 'eu-central' end, 'RESERVE', l.quantity,
       o.order_id, 'bench'
from order_lines l join orders o on o.order_id = l.order_id where o.order_id like 'B%';

analyze;
