<#ftl output_format="XML" strip_whitespace=true>
<#--
  cXML InvoiceDetailRequest (cXML 1.2.050, InvoiceDetail.dtd): the invoice, sent on order.shipped or
  order.delivered as the channel's outbound.invoiceOn says (docs/b2b-outbound.md, "cXML"). Every ${...} is
  XML-escaped; the result is checked against io/orderhub/outbound/cxml-outbound.dtd before sending.
  Choices:
  - payloadID, timestamp, From/To/Sender and deploymentMode as in order-response.ftl (channels.yaml
    outbound.cxml; payloadID "<epoch millis>.<document id>@orderhub", stable across resends).
  - InvoiceDetailRequestHeader: invoiceID = our order id (the hub invoices an order once, whole),
    purpose "standard", operation "new", invoiceDate = the document's time, invoiceOrigin "supplier";
    header and line indicators empty (tax, shipping and discounts are given in the summary, not per line);
    InvoiceDetailPaymentTerm with payInNumberOfDays from the order's terms (NET30 → 30, percentageRate 0)
    when the order is paid by invoice.
  - One InvoiceDetailOrder: OrderReference orderID = the buyer's PO number, DocumentReference = the payloadID
    of its OrderRequest; one InvoiceDetailItem per order line: invoiceLineNumber and
    InvoiceDetailItemReference lineNumber = the buyer's line number, quantity = ordered quantity (an order
    ships whole before it is invoiced), UnitOfMeasure, UnitPrice, ItemID SupplierPartID = our SKU with
    BuyerPartID = the buyer's item number when known, Description, SubtotalAmount = the line total.
  - InvoiceDetailSummary: SubtotalAmount = the order's subtotal, Tax = its tax, ShippingAmount = shipping,
    GrossAmount = subtotal + tax + shipping, InvoiceDetailDiscount = the discount (when there is one),
    NetAmount and DueAmount = the grand total. All amounts in the order's currency.
-->
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/InvoiceDetail.dtd">
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
    <InvoiceDetailRequest>
      <InvoiceDetailRequestHeader invoiceID="${invoiceNumber}" purpose="standard" operation="new" invoiceDate="${noticeDate}" invoiceOrigin="supplier">
        <InvoiceDetailHeaderIndicator/>
        <InvoiceDetailLineIndicator/>
<#if netDays??>
        <InvoiceDetailPaymentTerm payInNumberOfDays="${netDays}" percentageRate="0"/>
</#if>
      </InvoiceDetailRequestHeader>
      <InvoiceDetailOrder>
        <InvoiceDetailOrderInfo>
          <OrderReference orderID="${orderReference.orderID}"<#if orderReference.orderDate != ""> orderDate="${orderReference.orderDate}"</#if>>
            <DocumentReference payloadID="${orderReference.payloadID}"/>
          </OrderReference>
        </InvoiceDetailOrderInfo>
<#list lines as line>
        <InvoiceDetailItem invoiceLineNumber="${line.lineNo}" quantity="${line.quantity}">
          <UnitOfMeasure>${line.uom}</UnitOfMeasure>
          <UnitPrice>
            <Money currency="${currency}">${line.unitPrice!""}</Money>
          </UnitPrice>
          <InvoiceDetailItemReference lineNumber="${line.lineNo}">
            <ItemID>
              <SupplierPartID>${line.sku!""}</SupplierPartID>
<#if line.partnerSku??>
              <BuyerPartID>${line.partnerSku}</BuyerPartID>
<#elseif line.buyerSku??>
              <BuyerPartID>${line.buyerSku}</BuyerPartID>
</#if>
            </ItemID>
<#if line.description??>
            <Description xml:lang="en">${line.description}</Description>
</#if>
          </InvoiceDetailItemReference>
<#if line.lineTotal??>
          <SubtotalAmount>
            <Money currency="${currency}">${line.lineTotal}</Money>
          </SubtotalAmount>
</#if>
        </InvoiceDetailItem>
</#list>
      </InvoiceDetailOrder>
      <InvoiceDetailSummary>
        <SubtotalAmount>
          <Money currency="${currency}">${totals.subtotal}</Money>
        </SubtotalAmount>
        <Tax>
          <Money currency="${currency}">${totals.tax}</Money>
          <Description xml:lang="en">total tax</Description>
        </Tax>
        <ShippingAmount>
          <Money currency="${currency}">${totals.shipping}</Money>
        </ShippingAmount>
        <GrossAmount>
          <Money currency="${currency}">${gross}</Money>
        </GrossAmount>
<#if totals.discount != "0">
        <InvoiceDetailDiscount>
          <Money currency="${currency}">${totals.discount}</Money>
        </InvoiceDetailDiscount>
</#if>
        <NetAmount>
          <Money currency="${currency}">${totals.grandTotal}</Money>
        </NetAmount>
        <DueAmount>
          <Money currency="${currency}">${totals.grandTotal}</Money>
        </DueAmount>
      </InvoiceDetailSummary>
    </InvoiceDetailRequest>
  </Request>
</cXML>
