<#--
  EDIFACT DESADV (D.96A) despatch advice, the body between UNH and UNT; the hub writes UNA, UNB (UNOY:4),
  UNH+<control>+DESADV:D:96A:UN ... UNT and UNZ with the partner's control number (docs/b2b-outbound.md).
  Sent on order.shipped, when every parcel has its carrier label. Values are already released.
  Choices:
  - BGM 1001 351 (despatch advice), 1004 = our order id, 1225 9 (original); DTM+137 the document date and
    DTM+11 the despatch date.
  - SG1: RFF+ON the partner's order number, then one RFF+CN (carrier's reference) per parcel: the
    tracking numbers, in the order of the CPS package groups below (the n-th RFF+CN is the n-th package).
  - SG2: NAD+BY the buyer's id (code list 92) when the order names one; NAD+DP the delivery party's name
    and address.
  - SG6: one TDT+20 (main carriage) per parcel, with the carrier's name (C040 3128) as the hub knows it
    and the service level in 8028 (conveyance reference).
  - SG10: CPS+1 the whole consignment, then per parcel CPS+n+1 with PAC+1++CT (one carton) and MEA+AAE+G
    its gross weight in KGM when it was weighed, and per order line in it LIN (our SKU as SA), PIA+5 the
    partner's item number (IN) when the cross-reference translated it, else buyerSku, and QTY+12 the
    quantity despatched in this parcel.
  - CNT+2: the number of LIN segments.
-->
BGM+351+${orderId}+9
DTM+137:${date}:102
DTM+11:${date}:102
RFF+ON:${order.externalId}
<#list shipments as parcel>
RFF+CN:${parcel.trackingNumber}
</#list>
<#if (order.customer.externalId)??>
NAD+BY+${order.customer.externalId}::92
</#if>
<#if (order.shipTo.name)??>
NAD+DP+++${order.shipTo.name?truncate_c(35, "")}+${(order.shipTo.line1!"")?truncate_c(35, "")}+${(order.shipTo.city!"")?truncate_c(35, "")}++${order.shipTo.postalCode!""}+${order.shipTo.country!""}
</#if>
<#list shipments as parcel>
TDT+20+${(parcel.service!"")?truncate_c(17, "")}+++:::${parcel.carrier}
</#list>
CPS+1
<#list shipments as parcel>
CPS+${parcel?counter + 1}+1
PAC+1++CT
<#if parcel.weightKg??>
MEA+AAE+G+KGM:${parcel.weightKg}
</#if>
<#list parcel.lines as line>
LIN+${line.lineNo}++${line.sku}:SA
<#if line.partnerSku??>
PIA+5+${line.partnerSku}:IN
<#elseif line.buyerSku??>
PIA+5+${line.buyerSku}:IN
</#if>
QTY+12:${line.shippedQuantity}:${line.uom}
</#list>
</#list>
CNT+2:${shippedLineCount}
