<#--
  X12 855 Purchase Order Acknowledgment (version 004010), the body between ST and SE; the hub writes the
  envelope (ISA/GS*PR/ST*855 ... SE/GE/IEA) with the partner's control number (docs/b2b-outbound.md).
  One segment per line; every value in the model is already stripped of X12 separators.
  Choices:
  - BAK01 00 (original), or 05 (replace) when a BACKORDERED order is now confirmed: the partner's earlier
    855 said "backordered", this one replaces it. BAK02 AD (acknowledge with detail, no change) when every
    line is accepted, AC (with detail and change) when a line is backordered. BAK03 = the order's
    externalId (the partner's BEG03; a split delivery's order carries BEG03-n), BAK04 = the order date,
    BAK09 = the date of this acknowledgment.
  - REF*VN: our order id (vendor order number), which the partner quotes back.
  - N1*BY: the buyer with its id (qualifier 92, the buyer's own code), as the 850 named it.
  - Per line PO1 repeats the ordered line (quantity, unit, unit price, our SKU as VP, the partner's item
    number as BP when the cross-reference translated it, else buyerSku) and ACK states its fate:
    IA accepted, IB backordered (the whole quantity waits: the hub reserves an order all at once).
    No ACK date: the hub has no promised ship date at confirmation; the 856 carries the real one.
  - Units go back as X12 codes (EA for C62/EA, LB for LBR, KG for KGM, else the unit as the order has it).
  - CTT: number of PO1 lines and the sum of their quantities (hash total).
-->
<#assign units = {"C62": "EA", "EA": "EA", "LBR": "LB", "KGM": "KG", "MTR": "MR", "LTR": "LT", "PCE": "EA"}>
<#function unit u><#return units[u]!u></#function>
BAK*${replaces?then("05", "00")}*${allAccepted?then("AD", "AC")}*${order.externalId}*${orderDate}*****${date}
CUR*SE*${order.currency}
REF*VN*${orderId}
<#if (order.customer.externalId)??>
N1*BY*${order.customer.name}*92*${order.customer.externalId}
</#if>
<#list lines as line>
PO1*${line.lineNo}*${line.quantity}*${unit(line.uom)}*${line.unitPrice}**VP*${line.sku}<#if line.partnerSku??>*BP*${line.partnerSku}<#elseif line.buyerSku??>*BP*${line.buyerSku}</#if>
<#if line.description??>
PID*F****${line.description?truncate_c(80, "")}
</#if>
ACK*${(line.status == "BACKORDERED")?then("IB", "IA")}*${line.quantity}*${unit(line.uom)}
</#list>
CTT*${lineCount}*${quantityTotal}
