<#ftl output_format="XML" strip_whitespace=true>
<#--
  cXML InvoiceDetailRequest with purpose "creditMemo" (cXML 1.2.050, InvoiceDetail.dtd): the credit note of a
  refunded return (issue 22, docs/returns.md "Credit notes to B2B partners"), sent on return.refunded. Every ${...}
  is XML-escaped; the result is checked against io/orderhub/outbound/cxml-outbound.dtd before sending.
  Choices:
  - payloadID, timestamp, From/To/Sender and deploymentMode as in invoice.ftl.
  - InvoiceDetailRequestHeader: invoiceID = our return id, purpose "creditMemo", operation "new", invoiceDate =
    the document's time, invoiceOrigin "supplier"; InvoiceIDInfo invoiceID = the invoice credited (our invoice
    number, the order id).
  - Amounts and quantities are negative, as credit memos state them: one InvoiceDetailItem per returned line with
    the units credited (received back; a channel's money-only refund: the units it names), the price per unit
    paid, SubtotalAmount = quantity x price.
  - InvoiceDetailSummary: SubtotalAmount and GrossAmount = the lines' total, Tax 0 (the refund is an amount with
    tax), NetAmount and DueAmount = the amount refunded (after the channel's shipping refund and restocking fee;
    the difference is not itemised). All amounts in the order's currency.
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
      <InvoiceDetailRequestHeader invoiceID="${creditNoteNumber}" purpose="creditMemo" operation="new" invoiceDate="${noticeDate}" invoiceOrigin="supplier">
        <InvoiceDetailHeaderIndicator/>
        <InvoiceDetailLineIndicator/>
        <InvoiceIDInfo invoiceID="${invoiceNumber}"/>
      </InvoiceDetailRequestHeader>
      <InvoiceDetailOrder>
        <InvoiceDetailOrderInfo>
          <OrderReference orderID="${orderReference.orderID}"<#if orderReference.orderDate != ""> orderDate="${orderReference.orderDate}"</#if>>
            <DocumentReference payloadID="${orderReference.payloadID}"/>
          </OrderReference>
        </InvoiceDetailOrderInfo>
<#list lines as line>
        <InvoiceDetailItem invoiceLineNumber="${line.lineNo}" quantity="-${line.quantity}">
          <UnitOfMeasure>${line.uom}</UnitOfMeasure>
          <UnitPrice>
            <Money currency="${currency}">${line.unitPrice}</Money>
          </UnitPrice>
          <InvoiceDetailItemReference lineNumber="${line.lineNo}">
            <ItemID>
              <SupplierPartID>${line.sku}</SupplierPartID>
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
          <SubtotalAmount>
            <Money currency="${currency}">-${line.lineTotal}</Money>
          </SubtotalAmount>
        </InvoiceDetailItem>
</#list>
      </InvoiceDetailOrder>
      <InvoiceDetailSummary>
        <SubtotalAmount>
          <Money currency="${currency}">-${totals.goods}</Money>
        </SubtotalAmount>
        <Tax>
          <Money currency="${currency}">0</Money>
          <Description xml:lang="en">total tax</Description>
        </Tax>
        <GrossAmount>
          <Money currency="${currency}">-${totals.goods}</Money>
        </GrossAmount>
        <NetAmount>
          <Money currency="${currency}">-${totals.credited}</Money>
        </NetAmount>
        <DueAmount>
          <Money currency="${currency}">-${totals.credited}</Money>
        </DueAmount>
      </InvoiceDetailSummary>
    </InvoiceDetailRequest>
  </Request>
</cXML>
