<#--
  EDIFACT ORDRSP (D.96A) order response, the body between UNH and UNT; the hub writes UNA, UNB (syntax
  UNOY:4, UTF-8; UNA:+.?*' with * the repetition separator), UNH+<control>+ORDRSP:D:96A:UN ... UNT and UNZ with the partner's control number
  (docs/b2b-outbound.md). One segment per line; every value in the model is already released (?+ ?: ?' ?? ?*).
  Choices:
  - BGM 1001 231 (purchase order response), 1004 = our order id, 1225 9 (original) or 5 (replace: a
    BACKORDERED order now confirmed replaces the earlier response), 4343 AP (accepted) when every line is
    accepted, AC (acknowledged with changes) when a line is backordered.
  - DTM+137: the date of this response; RFF+ON: the partner's order number (BGM 1004 of its ORDERS; a split
    delivery's order carries it with -n), with DTM+171 the order date.
  - NAD+BY: the buyer's id as the ORDERS named it (code list 92, the buyer's own), when there is one.
  - Per line: LIN with 1229 5 (accepted without amendment) or 3 (changed: backordered) and our SKU (SA);
    PIA+5 the partner's item number (IN) when the cross-reference translated it, else buyerSku;
    QTY+21 the ordered quantity, then QTY+113 (to be delivered) when accepted or QTY+83 (backordered) for the
    whole quantity (the hub reserves an order all at once); PRI+AAA the net unit price.
    No delivery date per line: the hub has none at confirmation; the DESADV carries the real one.
  - UNS+S and CNT+2 (number of lines).
-->
BGM+231+${orderId}+${replaces?then("5", "9")}+${allAccepted?then("AP", "AC")}
DTM+137:${date}:102
RFF+ON:${order.externalId}
<#if orderDate?has_content>
DTM+171:${orderDate}:102
</#if>
<#if (order.customer.externalId)??>
NAD+BY+${order.customer.externalId}::92
</#if>
CUX+2:${order.currency}:9
<#list lines as line>
LIN+${line.lineNo}+${(line.status == "BACKORDERED")?then("3", "5")}+${line.sku}:SA
<#if line.partnerSku??>
PIA+5+${line.partnerSku}:IN
<#elseif line.buyerSku??>
PIA+5+${line.buyerSku}:IN
</#if>
<#if line.description??>
IMD+F++:::${line.description?truncate_c(35, "")}
</#if>
QTY+21:${line.quantity}:${line.uom}
QTY+${(line.status == "BACKORDERED")?then("83", "113")}:${line.quantity}:${line.uom}
PRI+AAA:${line.unitPrice}
</#list>
UNS+S
CNT+2:${lineCount}
