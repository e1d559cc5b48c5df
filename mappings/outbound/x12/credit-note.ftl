<#--
  X12 810 Invoice (version 004010) as a credit memo: the credit note of a refunded return (issue 22,
  docs/returns.md "Credit notes to B2B partners"), the body between ST and SE; the hub writes the envelope
  (ISA/GS*IN/ST*810 ... SE/GE/IEA) with the partner's control number, as for the invoice. Sent on
  return.refunded. Every value in the model is already stripped of X12 separators.
  Choices:
  - BIG01 this document's date, BIG02 the credit memo number = our return id, BIG03 the order date, BIG04 the
    partner's PO number (the order's externalId), BIG07 CR (credit memo).
  - CUR*SE the order's currency; REF*VN our order id; REF*IV the invoice credited (our invoice number, the
    order id); REF*RZ the return id (returned goods authorization).
  - N1*BY the buyer with its own id (92) when the order names one.
  - IT1 per returned line: the units credited (received back; a channel's money-only refund: the units it
    names), unit, the price per unit paid, our SKU as VP and the partner's item number as BP; PID*F the
    description.
  - TDS01 the amount credited (what was refunded, after the channel's shipping refund and restocking fee)
    in minor units (X12 N2); TDS02 the lines' total in minor units. The difference is not itemised in SAC.
  - CTT: number of IT1 lines and the sum of their quantities.
-->
<#assign units = {"C62": "EA", "EA": "EA", "LBR": "LB", "KGM": "KG", "MTR": "MR", "LTR": "LT", "PCE": "EA"}>
<#function unit u><#return units[u]!u></#function>
BIG*${date}*${creditNoteNumber}*${orderDate}*${order.externalId}***CR
CUR*SE*${order.currency}
REF*VN*${orderId}
REF*IV*${invoiceNumber}
REF*RZ*${returnId}
<#if (order.customer.externalId)??>
N1*BY*${order.customer.name}*92*${order.customer.externalId}
</#if>
<#list lines as line>
IT1*${line.lineNo}*${line.quantity}*${unit(line.uom)}*${line.unitPrice}**VP*${line.sku}<#if line.partnerSku??>*BP*${line.partnerSku}<#elseif line.buyerSku??>*BP*${line.buyerSku}</#if>
<#if line.description??>
PID*F****${line.description?truncate_c(80, "")}
</#if>
</#list>
TDS*${cents.credited}*${cents.goods}
CTT*${lineCount}*${quantityTotal}
