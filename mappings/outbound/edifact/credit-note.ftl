<#--
  EDIFACT INVOIC (D.96A) as a credit note (BGM 381): the credit note of a refunded return (issue 22,
  docs/returns.md "Credit notes to B2B partners"), the body between UNH and UNT; the hub writes UNA, UNB,
  UNH+<control>+INVOIC:D:96A:UN ... UNT and UNZ with the partner's control number, as for the invoice. Sent on
  return.refunded. Values are already released; amounts are plain decimals in the order's currency.
  Choices:
  - BGM 1001 381 (credit note), 1004 = our return id, 1225 9 (original); DTM+137 this document's date.
  - SG1: RFF+ON the partner's order number with DTM+171 the order date; RFF+IV the invoice credited (our
    invoice number, the order id); RFF+VN our order id. The return id is the document number (BGM 1004).
  - SG2: NAD+BY the buyer's id (92) when the order names one. SG7: CUX+2:<currency>:4.
  - SG25 per returned line: LIN with our SKU (SA); PIA+5 the partner's item number; IMD+F the description;
    QTY+61 (returned quantity) the units credited; SG26 MOA+203 the line amount; SG28 PRI+AAA the unit price paid.
  - UNS+S, CNT+2 (number of lines), SG48 MOA+79 (the lines' total) and MOA+77 (the amount credited: what was
    refunded, after the channel's shipping refund and restocking fee; the difference is not itemised).
-->
BGM+381+${creditNoteNumber}+9
DTM+137:${date}:102
RFF+ON:${order.externalId}
<#if orderDate?has_content>
DTM+171:${orderDate}:102
</#if>
RFF+IV:${invoiceNumber}
RFF+VN:${orderId}
<#if (order.customer.externalId)??>
NAD+BY+${order.customer.externalId}::92
</#if>
CUX+2:${order.currency}:4
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
QTY+61:${line.quantity}:${line.uom}
MOA+203:${line.lineTotal}
PRI+AAA:${line.unitPrice}
</#list>
UNS+S
CNT+2:${lineCount}
MOA+79:${totals.goods}
MOA+77:${totals.credited}
