<#ftl output_format="XML" strip_whitespace=true>
<#--
  cXML ShipNoticeRequest (cXML 1.2.050, Fulfill.dtd): the advance ship notice, sent on order.shipped, when
  every parcel of the order has its carrier label (docs/b2b-outbound.md, "cXML"). Every ${...} is XML-escaped;
  the result is checked against io/orderhub/outbound/cxml-outbound.dtd before sending.
  Choices:
  - payloadID, timestamp, From/To/Sender and deploymentMode as in order-response.ftl (channels.yaml
    outbound.cxml; payloadID "<epoch millis>.<document id>@orderhub", stable across resends).
  - ShipNoticeHeader: shipmentID = our order id (the hub ships an order once, in one or more parcels),
    noticeDate and shipmentDate = when the order shipped (the event), shipmentType "actual",
    fulfillmentType "complete" when every ordered quantity shipped, else "partial".
  - One ShipControl per parcel: CarrierIdentifier domain "companyName" = the carrier as the hub knows it
    (e.g. UPS, SandboxPost; not necessarily a SCAC), ShipmentIdentifier domain "trackingNumber" = the
    parcel's tracking number.
  - One ShipNoticePortion for the order: OrderReference orderID = the buyer's PO number, DocumentReference =
    the payloadID of its OrderRequest (see order-response.ftl); one ShipNoticeItem per order line with the
    quantity shipped in all parcels together (cXML does not tie an item to a ShipControl; the per-parcel
    split is in the X12 856 / DESADV), lineNumber = the buyer's line number, shipNoticeLineNumber counting
    from 1, UnitOfMeasure as ordered (default EA).
-->
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/Fulfill.dtd">
<cXML payloadID="${payloadID}" timestamp="${timestamp}" version="1.2.050" xml:lang="en">
  <Header>
    <From>
      <Credential domain="${from.domain}">
        <Identity>${from.identity}</Identity>
      </Credential>
    </From>
    <To>
      <Credential domain="${to.domain}">
        <Identity>${to.identity}</Identity>
      </Credential>
    </To>
    <Sender>
      <Credential domain="${from.domain}">
        <Identity>${from.identity}</Identity>
      </Credential>
      <UserAgent>OrderHub</UserAgent>
    </Sender>
  </Header>
  <Request deploymentMode="${deploymentMode}">
    <ShipNoticeRequest>
      <ShipNoticeHeader shipmentID="${orderId}" operation="new" noticeDate="${noticeDate}" shipmentDate="${noticeDate}" shipmentType="actual" fulfillmentType="${fulfillmentType}"/>
<#list shipments as parcel>
      <ShipControl>
        <CarrierIdentifier domain="companyName">${parcel.carrier!""}</CarrierIdentifier>
        <ShipmentIdentifier domain="trackingNumber">${parcel.trackingNumber!""}</ShipmentIdentifier>
      </ShipControl>
</#list>
      <ShipNoticePortion>
        <OrderReference orderID="${orderReference.orderID}"<#if orderReference.orderDate != ""> orderDate="${orderReference.orderDate}"</#if>>
          <DocumentReference payloadID="${orderReference.payloadID}"/>
        </OrderReference>
<#list items as item>
        <ShipNoticeItem lineNumber="${item.lineNo}" quantity="${item.shippedQuantity}" shipNoticeLineNumber="${item?counter}">
          <UnitOfMeasure>${item.uom}</UnitOfMeasure>
        </ShipNoticeItem>
</#list>
      </ShipNoticePortion>
    </ShipNoticeRequest>
  </Request>
</cXML>
