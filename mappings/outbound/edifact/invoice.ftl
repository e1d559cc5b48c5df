<#--
  EDIFACT INVOIC (D.96A) invoice, the body between UNH and UNT; the hub writes UNA, UNB (UNOY:4),
  UNH+<control>+INVOIC:D:96A:UN ... UNT and UNZ with the partner's control number (docs/b2b-outbound.md).
  Sent on order.shipped or order.delivered, as the channel's outbound.invoiceOn says. Values are already
  released (?+ ?: ?' ?? ?*); amounts are plain decimals in the order's currency.
  Choices:
  - BGM 1001 380 (commercial invoice), 1004 = the invoice number = our order id (the hub invoices an order
    once, whole), 1225 9 (original); DTM+137 the invoice date (this document's), DTM+35 the delivery date on
    order.delivered / DTM+11 the despatch date on order.shipped (both: this document's date).
  - SG1: RFF+ON the partner's order number with DTM+171 the order date; RFF+VN our order id.
  - SG2: NAD+BY the buyer's id (code list 92) when the order names one; NAD+IV the invoicee (bill-to) and
    NAD+DP the delivery party (ship-to) with name (company, else name) and address when the order has them;
    the region only when it fits 3229 (9 characters: a code, not a name).
  - SG7: CUX+2:<currency>:4 (reference currency, invoicing currency).
  - SG8: PAT+1++5:3:D:<n> (basic terms: n days after the invoice date) when the order is paid on terms such
    as NET30; none otherwise.
  - SG25 per order line: LIN with our SKU (SA); PIA+5 the partner's item number (IN) when the
    cross-reference translated it, else buyerSku; IMD+F the description; QTY+47 the invoiced quantity (the
    ordered one: an order is SHIPPED only when all of it ships); SG26 MOA+203 the line amount; SG28 PRI+AAA
    the net unit price.
  - UNS+S, CNT+2 (number of lines), SG48 MOA+79 (total of the lines), MOA+176 (tax total), MOA+77 (invoice
    amount: grandTotal); SG51 ALC+C with special service FC and MOA+23 the shipping charge, ALC+A with DI and
    MOA+204 the discount, each when not zero.
-->
<#macro party qualifier a>
NAD+${qualifier}+++${(a.company!(a.name!""))?truncate_c(35, "")}+${(a.line1!"")?truncate_c(35, "")}+${(a.city!"")?truncate_c(35, "")}+<#if (a.region!"")?length <= 9>${a.region!""}</#if>+${a.postalCode!""}+${a.country!""}
</#macro>
BGM+380+${invoiceNumber}+9
DTM+137:${date}:102
<#if shipped>
DTM+11:${date}:102
<#else>
DTM+35:${date}:102
</#if>
RFF+ON:${order.externalId}
<#if orderDate?has_content>
DTM+171:${orderDate}:102
</#if>
RFF+VN:${orderId}
<#if (order.customer.externalId)??>
NAD+BY+${order.customer.externalId}::92
</#if>
<#if order.billTo??>
<@party "IV" order.billTo/>
</#if>
<#if order.shipTo??>
<@party "DP" order.shipTo/>
</#if>
CUX+2:${order.currency}:4
<#if netDays??>
PAT+1++5:3:D:${netDays}
</#if>
<#list lines as line>
LIN+${line.lineNo}++${line.sku}:SA
<#if line.partnerSku??>
PIA+5+${line.partnerSku}:IN
<#elseif line.buyerSku??>
PIA+5+${line.buyerSku}:IN
</#if>
<#if line.description??>
IMD+F++:::${line.description?truncate_c(35, "")}
</#if>
QTY+47:${line.quantity}:${line.uom}
MOA+203:${line.lineTotal}
PRI+AAA:${line.unitPrice}
</#list>
UNS+S
CNT+2:${lineCount}
MOA+79:${totals.subtotal}
MOA+176:${totals.tax}
MOA+77:${totals.grandTotal}
<#if totals.shipping != "0">
ALC+C++++FC
MOA+23:${totals.shipping}
</#if>
<#if totals.discount != "0">
ALC+A++++DI
MOA+204:${totals.discount}
</#if>
