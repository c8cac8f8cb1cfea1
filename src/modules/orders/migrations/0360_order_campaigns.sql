-- Orders placed through a campaign (flash sale, group buy, bargain) carry which one, and may be held
-- back from fulfilment until the campaign says so (a group-buy order ships only once its team is full).
alter table orders add column campaign_type text;
alter table orders add column campaign_ref text;
alter table orders add column fulfilment_hold text;
create index orders_campaign on orders (campaign_type, campaign_ref) where campaign_type is not null;
