<#ftl output_format="XML" strip_whitespace=true>
<#--
  cXML ConfirmationRequest (cXML 1.2.050, Fulfill.dtd): the hub's answer to an order, sent on
  order.confirmed and order.backordered (docs/b2b-outbound.md, "cXML"). The whole document, envelope
  included, is written here; every ${...} is XML-escaped by the template's XML output format. The hub
  checks the result against io/orderhub/outbound/cxml-outbound.dtd (our subset of the cXML DTD) and the
  value forms before sending; a document that fails is held with its errors.
  Choices:
  - payloadID: "<epoch millis>.<document id>@orderhub". The document id is derived from (event, channel,
    type), so a resend carries the same payloadID and the partner can drop the copy. timestamp and
    noticeDate: when the document was made, UTC, ISO 8601 with offset.
  - From and Sender: our credential, To: the partner's, from channels.yaml outbound.cxml
    (senderQualifier/senderId = our domain/identity, receiverQualifier/receiverId = the partner's). No
    SharedSecret is written: the hub keeps no partner secrets in channels.yaml (the transport authenticates).
    deploymentMode is "test" when outbound.cxml.usage is T.
  - ConfirmationHeader type "accept" when every line is accepted, "detail" when a line is backordered;
    operation "update" when this confirmation replaces an earlier backorder answer (the order was BACKORDERED
    and is now CONFIRMED); confirmID = our order id; Total = the order's grand total.
  - OrderReference: orderID = the buyer's PO number (the order's externalId, the OrderRequest's orderID),
    orderDate = the order date, DocumentReference payloadID = the payloadID of the OrderRequest the order
    came in (its PO number when the order came another way or its receipt is gone).
  - One ConfirmationItem per order line (lineNumber = the buyer's line number, quantity = ordered quantity,
    UnitOfMeasure as ordered, default EA) with a ConfirmationStatus "accept" for the quantity the hub could
    reserve (with the unit price) and a ConfirmationStatus "backordered" for the rest; no delivery date is
    promised for backordered quantities (the hub does not know one).
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
    <ConfirmationRequest>
      <ConfirmationHeader type="${confirmationType}" noticeDate="${noticeDate}" operation="${operation}" confirmID="${orderId}">
<#if (order.totals.grandTotal)??>
        <Total>
          <Money currency="${currency}">${order.totals.grandTotal}</Money>
        </Total>
</#if>
      </ConfirmationHeader>
      <OrderReference orderID="${orderReference.orderID}"<#if orderReference.orderDate != ""> orderDate="${orderReference.orderDate}"</#if>>
        <DocumentReference payloadID="${orderReference.payloadID}"/>
      </OrderReference>
<#list lines as line>
      <ConfirmationItem lineNumber="${line.lineNo}" quantity="${line.quantity}">
        <UnitOfMeasure>${line.uom}</UnitOfMeasure>
<#if line.acceptedQuantity != "0">
        <ConfirmationStatus type="accept" quantity="${line.acceptedQuantity}">
          <UnitOfMeasure>${line.uom}</UnitOfMeasure>
<#if line.unitPrice??>
          <UnitPrice>
            <Money currency="${currency}">${line.unitPrice}</Money>
          </UnitPrice>
</#if>
        </ConfirmationStatus>
</#if>
<#if line.backorderedQuantity != "0">
        <ConfirmationStatus type="backordered" quantity="${line.backorderedQuantity}">
          <UnitOfMeasure>${line.uom}</UnitOfMeasure>
        </ConfirmationStatus>
</#if>
      </ConfirmationItem>
</#list>
    </ConfirmationRequest>
  </Request>
</cXML>
