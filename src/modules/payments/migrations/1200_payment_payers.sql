-- Who paid: the provider's id of the paying account (WeChat Pay openid, Alipay buyer id), stored as a
-- keyed hash so that risk can tell two users paying from one account apart from strangers without
-- keeping the id itself.
alter table payments add column payer_hash text;
create index payments_payer on payments (payer_hash, user_id) where payer_hash is not null;
