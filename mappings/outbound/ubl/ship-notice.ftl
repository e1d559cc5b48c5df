<#--
  UBL 2.1 DespatchAdvice: the ship notice on order.shipped (docs/b2b-outbound.md), every parcel of the order.
  Checked against the OASIS UBL 2.1 maindoc XSD (UBL-DespatchAdvice-2.1.xsd) before it is sent; an invalid one is held.
  Choices:
  - Plain UBL 2.1 (no CustomizationID), shaped like Peppol BIS Despatch Advice 3 where it costs nothing.
  - ID = our order id (the hub ships an order once, whole: one despatch advice per order); UUID = the document id;
    IssueDate/IssueTime = when the document was made (the shipping event, UTC).
  - OrderReference/ID = the partner's order number (externalId), SalesOrderID = our order id.
  - DespatchSupplierParty = us, DeliveryCustomerParty = the ship-to (its company, else name, and address),
    BuyerCustomerParty = the partner.
  - Shipment: ID = our order id, GrossWeightMeasure (KGM) = all parcels (when the parcels were weighed),
    ConsignmentQuantity = the number of parcels. One Consignment per parcel: ID = the parcel's
    shipment id, CarrierAssignedID = its tracking number, GrossWeightMeasure = its weight, CarrierParty/PartyName =
    the carrier, and the service in SummaryDescription. Delivery/DeliveryAddress = the ship-to.
    One TransportHandlingUnit per parcel with ID = the shipment id and TraceID = the tracking number.
  - One DespatchLine per order line per parcel: ID = running number, DeliveredQuantity = the quantity in that
    parcel with its unit (UN/ECE Rec 20), OrderLineReference/LineID = the partner's line number, Item = name,
    partner's and our item numbers, and Shipment/ID = the parcel's shipment id (which parcel holds it).
-->
<#include "_parties.ftl">
<?xml version="1.0" encoding="UTF-8"?>
<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:UBLVersionID>2.1</cbc:UBLVersionID>
<cbc:ID>${orderId}</cbc:ID>
<cbc:UUID>${documentUuid}</cbc:UUID>
<cbc:IssueDate>${issueDate}</cbc:IssueDate>
<cbc:IssueTime>${issueTime}</cbc:IssueTime>
<cbc:LineCountNumeric>${shippedLineCount}</cbc:LineCountNumeric>
<cac:OrderReference>
<cbc:ID>${order.externalId}</cbc:ID>
<cbc:SalesOrderID>${orderId}</cbc:SalesOrderID>
<#if orderIssueDate?has_content><cbc:IssueDate>${orderIssueDate}</cbc:IssueDate></#if>
</cac:OrderReference>
<cac:DespatchSupplierParty><@sellerParty/></cac:DespatchSupplierParty>
<cac:DeliveryCustomerParty>
<cac:Party>
<cac:PartyName><cbc:Name>${(order.shipTo.company)!((order.shipTo.name)!buyer.name)}</cbc:Name></cac:PartyName>
<#if order.shipTo??><cac:PostalAddress><@postalAddress order.shipTo/></cac:PostalAddress></#if>
</cac:Party>
</cac:DeliveryCustomerParty>
<cac:BuyerCustomerParty><@buyerParty/></cac:BuyerCustomerParty>
<cac:Shipment>
<cbc:ID>${orderId}</cbc:ID>
<#if totalWeight != "0"><cbc:GrossWeightMeasure unitCode="KGM">${totalWeight}</cbc:GrossWeightMeasure></#if>
<cbc:ConsignmentQuantity>${parcelCount}</cbc:ConsignmentQuantity>
<#list shipments as parcel>
<cac:Consignment>
<cbc:ID>${parcel.shipmentId}</cbc:ID>
<#if parcel.trackingNumber??><cbc:CarrierAssignedID>${parcel.trackingNumber}</cbc:CarrierAssignedID></#if>
<#if parcel.service??><cbc:SummaryDescription>${parcel.service}</cbc:SummaryDescription></#if>
<#if parcel.weightKg??><cbc:GrossWeightMeasure unitCode="KGM">${parcel.weightKg}</cbc:GrossWeightMeasure></#if>
<#if parcel.carrier??><cac:CarrierParty><cac:PartyName><cbc:Name>${parcel.carrier}</cbc:Name></cac:PartyName></cac:CarrierParty></#if>
</cac:Consignment>
</#list>
<#if order.shipTo??>
<cac:Delivery><cac:DeliveryAddress><@postalAddress order.shipTo/></cac:DeliveryAddress></cac:Delivery>
</#if>
<#list shipments as parcel>
<cac:TransportHandlingUnit>
<cbc:ID>${parcel.shipmentId}</cbc:ID>
<#if parcel.trackingNumber??><cbc:TraceID>${parcel.trackingNumber}</cbc:TraceID></#if>
</cac:TransportHandlingUnit>
</#list>
</cac:Shipment>
<#assign n = 0>
<#list shipments as parcel>
<#list parcel.lines as line>
<#assign n = n + 1>
<cac:DespatchLine>
<cbc:ID>${n}</cbc:ID>
<cbc:DeliveredQuantity unitCode="${line.unitCode}">${line.shippedQuantity}</cbc:DeliveredQuantity>
<cac:OrderLineReference><cbc:LineID>${line.lineNo}</cbc:LineID></cac:OrderLineReference>
<cac:Item>
<#if line.description??><cbc:Description>${line.description}</cbc:Description></#if>
<cbc:Name>${line.itemName}</cbc:Name>
<#if line.partnerSku??><cac:BuyersItemIdentification><cbc:ID>${line.partnerSku}</cbc:ID></cac:BuyersItemIdentification>
<#elseif line.buyerSku??><cac:BuyersItemIdentification><cbc:ID>${line.buyerSku}</cbc:ID></cac:BuyersItemIdentification></#if>
<#if line.sku??><cac:SellersItemIdentification><cbc:ID>${line.sku}</cbc:ID></cac:SellersItemIdentification></#if>
</cac:Item>
<cac:Shipment><cbc:ID>${parcel.shipmentId}</cbc:ID></cac:Shipment>
</cac:DespatchLine>
</#list>
</#list>
</DespatchAdvice>
