-- Invoice credit per customer bound to a channel (issue 25). A customer of the CRM (external id
-- <channel>-<customer.externalId>, as the packaged CRM mapping keys them) may pay by invoice only in the
-- channel named here, up to its credit_limit in its currency; a customer id the CRM does not know, or one
-- bound to no or another channel, gets no credit. The payment stage locks the row (select ... for update)
-- while it adds up the open invoices and approves one, so two orders of one customer cannot both pass.
alter table customers add column invoice_channel varchar(64);
