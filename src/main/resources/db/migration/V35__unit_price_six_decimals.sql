-- Issue 18: a unit price is per ordered unit after the document's price basis; a price per hundred or per
-- thousand divided down needs up to 6 decimals (CanonicalOrderValidator.MAX_UNIT_PRICE_DECIMALS). Line totals
-- stay at 4.
alter table order_lines alter column unit_price set data type numeric(19,6);
