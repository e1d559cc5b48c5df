-- The planning and report queries (io.orderhub.planning.OrderReports, PlanningRepository) with the
-- parameters inlined: :from/:to = the last 30 days (:since = the last 365 days for planning).
\set from '''' `date -u -d '30 days ago' +%Y-%m-%dT%H:%M:%SZ` ''''
\set to '''' `date -u +%Y-%m-%dT%H:%M:%SZ` ''''
\set since '''' `date -u -d '364 days ago' +%Y-%m-%d` ''''

\echo '### report: counts, fill and backorder rates by channel (30 days)'
explain (analyze, buffers)
select o.channel as k, count(*) as n, count(c.order_id) as filled, count(b.order_id) as backordered,
       sum(case when o.status = 'CANCELLED' then 1 else 0 end) as cancelled
from orders o
left join order_events c on c.order_id = o.order_id and c.from_status = 'CREATED' and c.to_status = 'CONFIRMED'
left join order_events b on b.order_id = o.order_id and b.from_status = 'CREATED' and b.to_status = 'BACKORDERED'
where o.received_at >= :from::timestamptz and o.received_at < :to::timestamptz
group by o.channel;

\echo '### report: amounts by channel and currency (30 days)'
explain (analyze, buffers)
select o.channel as k, o.currency, sum(o.grand_total) as amount from orders o
where o.received_at >= :from::timestamptz and o.received_at < :to::timestamptz
group by o.channel, o.currency;

\echo '### report: counts by day (365 days)'
explain (analyze, buffers)
select cast(o.received_at at time zone 'UTC' as date) as k, count(*) as n, count(c.order_id) as filled,
       count(b.order_id) as backordered, sum(case when o.status = 'CANCELLED' then 1 else 0 end) as cancelled
from orders o
left join order_events c on c.order_id = o.order_id and c.from_status = 'CREATED' and c.to_status = 'CONFIRMED'
left join order_events b on b.order_id = o.order_id and b.from_status = 'CREATED' and b.to_status = 'BACKORDERED'
where o.received_at >= :since::timestamptz and o.received_at < :to::timestamptz
group by cast(o.received_at at time zone 'UTC' as date);

\echo '### report: cancellation reasons (30 days)'
explain (analyze, buffers)
select coalesce(e.detail, '(none)') as reason, count(*) as n
from orders o join order_events e on e.order_id = o.order_id and e.to_status = 'CANCELLED'
where o.received_at >= :from::timestamptz and o.received_at < :to::timestamptz
group by coalesce(e.detail, '(none)') order by n desc, reason limit 20;

\echo '### report: average and p95 time per stage (30 days)'
explain (analyze, buffers)
select t.a, t.b, count(*) as n, avg(t.secs) as avg_secs,
       percentile_cont(0.95) within group (order by t.secs) as p95, max(t.secs) as max_secs
from (select e.to_status as a, x.to_status as b,
             extract(epoch from x.at) - extract(epoch from e.at) as secs
      from orders o
      join order_events e on e.order_id = o.order_id
      join order_events x on x.order_id = e.order_id and x.from_status = e.to_status
      where o.received_at >= :from::timestamptz and o.received_at < :to::timestamptz
        and e.to_status in ('CREATED', 'CONFIRMED', 'PAID', 'ALLOCATED', 'SHIPPED', 'DELIVERED')) t
group by t.a, t.b;

\echo '### report: orders stuck longest per stage (30 days)'
explain (analyze, buffers)
select order_id, channel, status, entered from (
    select o.order_id, o.channel, o.status, e.at as entered,
           row_number() over (partition by o.status order by e.at, o.order_id) as rn
    from orders o join order_events e on e.order_id = o.order_id and e.to_status = o.status
    where o.received_at >= :from::timestamptz and o.received_at < :to::timestamptz
      and o.status in ('CREATED', 'CONFIRMED', 'PAID', 'ALLOCATED', 'SHIPPED', 'DELIVERED')
) s where rn <= 5 order by status, entered;

\echo '### planning: ordered units per SKU and day (365 days, all SKUs: the scheduled recomputation)'
explain (analyze, buffers)
select l.sku, cast(o.received_at at time zone 'UTC' as date) as d, sum(l.quantity) as units
from orders o join order_lines l on l.order_id = o.order_id
where o.received_at >= :since::timestamptz and o.status <> 'REJECTED'
group by l.sku, cast(o.received_at at time zone 'UTC' as date);

\echo '### planning: reserved units per SKU, warehouse and day (365 days, all SKUs)'
explain (analyze, buffers)
select sku, warehouse_id, cast(at at time zone 'UTC' as date) as d, sum(reserved_delta) as units
from stock_ledger
where movement = 'RESERVE' and at >= :since::timestamptz
group by sku, warehouse_id, cast(at at time zone 'UTC' as date);

\echo '### planning: ordered units of one SKU and day (365 days: recompute after a settings change)'
explain (analyze, buffers)
select l.sku, cast(o.received_at at time zone 'UTC' as date) as d, sum(l.quantity) as units
from orders o join order_lines l on l.order_id = o.order_id
where o.received_at >= :since::timestamptz and o.status <> 'REJECTED' and l.sku = 'BENCH-0042'
group by l.sku, cast(o.received_at at time zone 'UTC' as date);

\echo '### planning: reorder suggestions (stored figures against stock)'
explain (analyze, buffers)
select f.sku, f.warehouse_id, s.on_hand - s.reserved - s.allocated as available, f.reorder_point,
       f.order_quantity, f.computed_at
from planning_figures f join stock s on s.sku = f.sku and s.warehouse_id = f.warehouse_id
where f.warehouse_id <> '*' and f.reorder_point is not null and f.avg_daily > 0
  and s.on_hand - s.reserved - s.allocated <= f.reorder_point
order by f.sku, f.warehouse_id;
