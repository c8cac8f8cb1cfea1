-- Risk review of commissions: a commission whose risk score reaches the review threshold waits as
-- `flagged` and is paid only when review approves (`rejected` otherwise). While it waits the order may
-- move on; order_stage remembers how far (paid → completed → settled), so an approved commission lands
-- where its order is.
alter table commissions drop constraint commissions_status_check;
alter table commissions add constraint commissions_status_check check (status in ('pending', 'frozen', 'available', 'cancelled', 'flagged', 'rejected'));
alter table commissions add column order_stage text not null default 'paid' check (order_stage in ('paid', 'completed', 'settled'));
