-- Issue 22: webhooks a channel's shop platform sends the hub itself (Shopify returns/* and refunds/create,
-- WooCommerce refunds), signed with the channel's webhookSecret. One row per delivery id and channel, written when
-- the delivery was applied: the same delivery again changes nothing (docs/returns.md "Channels' webhooks").
create table channel_webhooks (
    channel       varchar(64)  not null,
    webhook_id    varchar(200) not null,
    platform      varchar(20)  not null,
    topic         varchar(100) not null,
    outcome       varchar(500),
    return_id     varchar(40),
    received_at   timestamp with time zone not null,
    primary key (channel, webhook_id)
);
