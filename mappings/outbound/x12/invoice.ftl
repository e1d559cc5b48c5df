<#--
  X12 810 Invoice (version 004010), the body between ST and SE; the hub writes the envelope
  (ISA/GS*IN/ST*810 ... SE/GE/IEA) with the partner's control number (docs/b2b-outbound.md). Sent on
  order.shipped or order.delivered, as the channel's outbound.invoiceOn says. One segment per line; every
  value in the model is already stripped of X12 separators.
  Choices:
  - BIG01 the invoice date (this document's), BIG02 the invoice number = our order id (the hub invoices an
    order once, whole), BIG03 the order date, BIG04 the partner's PO number (the order's externalId).
  - CUR*SE the order's currency; REF*VN our order id (vendor order number, as in the 855).
  - N1 loop: BY the buyer with its own id (92) when the order names one; BT bill-to and ST ship-to with
    N3/N4 when the order has the address (N1 the company, else the name; N402 only a two-letter region, the
    X12 state code; N404 the ISO 3166-1 alpha-2 country, as the order keeps it).
  - ITD*05*3 with ITD07 the net days when the order is paid on terms such as NET30 (05: no discount
    offered, 3: counted from the invoice date); none otherwise.
  - DTM*011 the shipped date when the invoice goes on order.shipped (the hub's shipping date is this
    document's date); none on order.delivered, where the 856 already gave it.
  - IT1 per order line: the ordered quantity (an order is SHIPPED only when all of it ships), unit, unit
    price, our SKU as VP and the partner's item number as BP (cross-reference, else buyerSku); PID*F the
    description.
  - TDS01 the invoice total (grandTotal) in minor units (X12 N2, implied two decimals); TXI*TX the tax total
    when there is tax; SAC*C*D240 the shipping charge and SAC*A*C310 the discount, each SAC05 in minor units,
    when not zero.
  - CTT: number of IT1 lines and the sum of their quantities (hash total).
-->
<#assign units = {"C62": "EA", "EA": "EA", "LBR": "LB", "KGM": "KG", "MTR": "MR", "LTR": "LT", "PCE": "EA"}>
<#function unit u><#return units[u]!u></#function>
<#macro address qualifier a>
N1*${qualifier}*${(a.company!(a.name!""))?truncate_c(60, "")}
N3*${(a.line1!"")?truncate_c(55, "")}<#if a.line2??>*${a.line2?truncate_c(55, "")}</#if>
N4*${(a.city!"")?truncate_c(30, "")}*<#if (a.region!"")?length == 2>${a.region}</#if>*${a.postalCode!""}*${a.country!""}
</#macro>
BIG*${date}*${invoiceNumber}*${orderDate}*${order.externalId}
CUR*SE*${order.currency}
REF*VN*${orderId}
<#if (order.customer.externalId)??>
N1*BY*${order.customer.name}*92*${order.customer.externalId}
</#if>
<#if order.billTo??>
<@address "BT" order.billTo/>
</#if>
<#if order.shipTo??>
<@address "ST" order.shipTo/>
</#if>
<#if netDays??>
ITD*05*3*****${netDays}
</#if>
<#if shipped>
DTM*011*${date}
</#if>
<#list lines as line>
IT1*${line.lineNo}*${line.quantity}*${unit(line.uom)}*${line.unitPrice}**VP*${line.sku}<#if line.partnerSku??>*BP*${line.partnerSku}<#elseif line.buyerSku??>*BP*${line.buyerSku}</#if>
<#if line.description??>
PID*F****${line.description?truncate_c(80, "")}
</#if>
</#list>
TDS*${cents.grandTotal}
<#if totals.tax != "0">
TXI*TX*${totals.tax}
</#if>
<#if totals.shipping != "0">
SAC*C*D240***${cents.shipping}
</#if>
<#if totals.discount != "0">
SAC*A*C310***${cents.discount}
</#if>
CTT*${lineCount}*${quantityTotal}
