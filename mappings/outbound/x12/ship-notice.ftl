<#--
  X12 856 Ship Notice/Manifest (version 004010), the body between ST and SE; the hub writes the envelope
  (ISA/GS*SH/ST*856 ... SE/GE/IEA) with the partner's control number (docs/b2b-outbound.md). Sent on
  order.shipped, when every parcel of the order has its carrier label. One segment per line; values are
  already stripped of X12 separators.
  Choices:
  - BSN01 00 (original), BSN02 = our order id (the shipment identification the partner quotes back),
    BSN03/04 the date and time of shipping, BSN05 0001: the hierarchy is Shipment, Order, Pack, Item.
  - HL S (shipment): TD1 with the number of parcels and their gross weight in KG (when the warehouse
    weighed them), DTM*011 shipped date, N1*ST the ship-to name.
  - HL O (order): PRF = the partner's PO number (the order's externalId), REF*VN our order id.
  - HL P (one per parcel): TD1 its weight, TD5 with the carrier (TD502 2 / TD503: the carrier's name as
    the hub knows it, e.g. UPS, SandboxPost; not necessarily a SCAC), TD504 U (private parcel service) and
    TD505 the service level; REF*CN the carrier's tracking number.
  - HL I (one per order line in the parcel): LIN with our SKU (VP) and the partner's item number (BP) when
    the cross-reference translated it, else buyerSku; SN1 the quantity shipped in this parcel and its unit.
  - CTT01: the number of HL segments.
-->
<#assign units = {"C62": "EA", "EA": "EA", "LBR": "LB", "KGM": "KG", "MTR": "MR", "LTR": "LT", "PCE": "EA"}>
<#function unit u><#return units[u]!u></#function>
BSN*00*${orderId}*${date}*${time}*0001
HL*1**S
<#if totalWeight != "0">
TD1*CTN25*${parcelCount}****G*${totalWeight}*KG
<#else>
TD1*CTN25*${parcelCount}
</#if>
DTM*011*${date}
<#if (order.shipTo.name)??>
N1*ST*${order.shipTo.name}
</#if>
HL*2*1*O
PRF*${order.externalId}
REF*VN*${orderId}
<#assign n = 3>
<#list shipments as parcel>
<#assign pack = n>
HL*${n}*2*P
<#if parcel.weightKg??>
TD1*CTN25*1****G*${parcel.weightKg}*KG
</#if>
TD5**2*${parcel.carrier}*U*${(parcel.service!"")?truncate_c(35, "")}
REF*CN*${parcel.trackingNumber}
<#assign n = n + 1>
<#list parcel.lines as line>
HL*${n}*${pack}*I
LIN**VP*${line.sku}<#if line.partnerSku??>*BP*${line.partnerSku}<#elseif line.buyerSku??>*BP*${line.buyerSku}</#if>
SN1**${line.shippedQuantity}*${unit(line.uom)}
<#assign n = n + 1>
</#list>
</#list>
CTT*${n - 1}
